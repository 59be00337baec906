package io.millrace.broker.handler.group;

import io.millrace.broker.group.GroupCoordinator;
import io.millrace.broker.network.ApiHandler;
import io.millrace.broker.network.RequestContext;
import io.millrace.protocol.codec.DeleteGroupsCodec;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** DeleteGroups: deletes empty groups with their offsets. */
public final class DeleteGroupsHandler implements ApiHandler<DeleteGroupsCodec.Request, DeleteGroupsCodec.Response> {

    private final DeleteGroupsCodec codec = new DeleteGroupsCodec();
    private final GroupCoordinator coordinator;

    public DeleteGroupsHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public DeleteGroupsCodec codec() {
        return codec;
    }

    @Override
    public CompletionStage<DeleteGroupsCodec.Response> handle(RequestContext context, DeleteGroupsCodec.Request request) {
        List<CompletableFuture<DeleteGroupsCodec.Result>> results =
                request.groups().stream().map(coordinator::deleteGroup).toList();
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> new DeleteGroupsCodec.Response(results.stream().map(CompletableFuture::join).toList()));
    }
}
