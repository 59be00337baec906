package io.millrace.broker.handler.group;

import io.millrace.broker.group.GroupCoordinator;
import io.millrace.broker.network.ApiHandler;
import io.millrace.broker.network.RequestContext;
import io.millrace.protocol.codec.LeaveGroupCodec;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** LeaveGroup: members (several at once from v3) leave, triggering a rebalance. */
public final class LeaveGroupHandler implements ApiHandler<LeaveGroupCodec.Request, LeaveGroupCodec.Response> {

    private final LeaveGroupCodec codec = new LeaveGroupCodec();
    private final GroupCoordinator coordinator;

    public LeaveGroupHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public LeaveGroupCodec codec() {
        return codec;
    }

    @Override
    public CompletionStage<LeaveGroupCodec.Response> handle(RequestContext context, LeaveGroupCodec.Request request) {
        return CompletableFuture.completedFuture(coordinator.leaveGroup(request));
    }
}
