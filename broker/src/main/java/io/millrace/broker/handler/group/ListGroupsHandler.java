package io.millrace.broker.handler.group;

import io.millrace.broker.group.GroupCoordinator;
import io.millrace.broker.network.ApiHandler;
import io.millrace.broker.network.RequestContext;
import io.millrace.protocol.codec.ListGroupsCodec;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** ListGroups: the groups this node coordinates, filtered by state and type. */
public final class ListGroupsHandler implements ApiHandler<ListGroupsCodec.Request, ListGroupsCodec.Response> {

    private final ListGroupsCodec codec = new ListGroupsCodec();
    private final GroupCoordinator coordinator;

    public ListGroupsHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ListGroupsCodec codec() {
        return codec;
    }

    @Override
    public CompletionStage<ListGroupsCodec.Response> handle(RequestContext context, ListGroupsCodec.Request request) {
        return CompletableFuture.completedFuture(coordinator.listGroups(request));
    }
}
