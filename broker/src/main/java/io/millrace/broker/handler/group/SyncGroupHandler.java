package io.millrace.broker.handler.group;

import io.millrace.broker.group.GroupCoordinator;
import io.millrace.broker.network.ApiHandler;
import io.millrace.broker.network.RequestContext;
import io.millrace.protocol.codec.SyncGroupCodec;
import java.util.concurrent.CompletionStage;

/** SyncGroup: the leader hands in the assignment; every member waits for its share. */
public final class SyncGroupHandler implements ApiHandler<SyncGroupCodec.Request, SyncGroupCodec.Response> {

    private final SyncGroupCodec codec = new SyncGroupCodec();
    private final GroupCoordinator coordinator;

    public SyncGroupHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public SyncGroupCodec codec() {
        return codec;
    }

    @Override
    public CompletionStage<SyncGroupCodec.Response> handle(RequestContext context, SyncGroupCodec.Request request) {
        return coordinator.syncGroup(request);
    }
}
