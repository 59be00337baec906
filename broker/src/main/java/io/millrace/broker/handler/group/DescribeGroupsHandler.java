package io.millrace.broker.handler.group;

import io.millrace.broker.group.GroupCoordinator;
import io.millrace.broker.network.ApiHandler;
import io.millrace.broker.network.RequestContext;
import io.millrace.protocol.codec.DescribeGroupsCodec;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** DescribeGroups: state, protocol and members of each group. */
public final class DescribeGroupsHandler implements ApiHandler<DescribeGroupsCodec.Request, DescribeGroupsCodec.Response> {

    private final DescribeGroupsCodec codec = new DescribeGroupsCodec();
    private final GroupCoordinator coordinator;

    public DescribeGroupsHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public DescribeGroupsCodec codec() {
        return codec;
    }

    @Override
    public CompletionStage<DescribeGroupsCodec.Response> handle(RequestContext context, DescribeGroupsCodec.Request request) {
        return CompletableFuture.completedFuture(new DescribeGroupsCodec.Response(
                request.groups().stream().map(coordinator::describeGroup).toList()));
    }
}
