package io.millrace.broker.handler.group;

import io.millrace.broker.group.GroupCoordinator;
import io.millrace.broker.network.ApiHandler;
import io.millrace.broker.network.RequestContext;
import io.millrace.protocol.codec.HeartbeatCodec;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Heartbeat: keeps a member's session alive and tells it when a rebalance started. */
public final class HeartbeatHandler implements ApiHandler<HeartbeatCodec.Request, HeartbeatCodec.Response> {

    private final HeartbeatCodec codec = new HeartbeatCodec();
    private final GroupCoordinator coordinator;

    public HeartbeatHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public HeartbeatCodec codec() {
        return codec;
    }

    @Override
    public CompletionStage<HeartbeatCodec.Response> handle(RequestContext context, HeartbeatCodec.Request request) {
        return CompletableFuture.completedFuture(coordinator.heartbeat(request));
    }
}
