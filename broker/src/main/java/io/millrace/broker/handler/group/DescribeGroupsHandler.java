package io.millrace.broker.handler.group;

import io.millrace.broker.group.GroupCoordinator;
import io.millrace.broker.group.GroupState;
import io.millrace.broker.network.ApiHandler;
import io.millrace.broker.network.RequestContext;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.codec.DescribeGroupsCodec;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * DescribeGroups: state, protocol and members of each group. An unknown group is GROUP_ID_NOT_FOUND
 * from v6 (KIP-1043); older versions describe it as a Dead group without error, as Kafka does.
 */
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
        boolean hasNotFound = context.apiVersion() >= 6;
        return CompletableFuture.completedFuture(new DescribeGroupsCodec.Response(request.groups().stream()
                .map(coordinator::describeGroup)
                .map(group -> hasNotFound || group.error() != ErrorCode.GROUP_ID_NOT_FOUND ? group
                        : new DescribeGroupsCodec.Group(ErrorCode.NONE, null, group.groupId(), GroupState.DEAD.kafkaName(),
                                "", "", List.of(), group.authorizedOperations()))
                .toList()));
    }
}
