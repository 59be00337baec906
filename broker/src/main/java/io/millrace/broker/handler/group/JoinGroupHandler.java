package io.millrace.broker.handler.group;

import io.millrace.broker.group.GroupCoordinator;
import io.millrace.broker.network.ApiHandler;
import io.millrace.broker.network.RequestContext;
import io.millrace.protocol.codec.JoinGroupCodec;
import java.util.concurrent.CompletionStage;

/** JoinGroup: joins (or rejoins) a classic group; waits in the join purgatory until the rebalance completes. */
public final class JoinGroupHandler implements ApiHandler<JoinGroupCodec.Request, JoinGroupCodec.Response> {

    private final JoinGroupCodec codec = new JoinGroupCodec();
    private final GroupCoordinator coordinator;

    public JoinGroupHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public JoinGroupCodec codec() {
        return codec;
    }

    @Override
    public CompletionStage<JoinGroupCodec.Response> handle(RequestContext context, JoinGroupCodec.Request request) {
        return coordinator.joinGroup(request, context.apiVersion(), context.clientId(),
                String.valueOf(context.clientAddress().getAddress()));
    }
}
