package io.millrace.broker.handler.group;

import io.millrace.broker.group.GroupCoordinator;
import io.millrace.broker.network.ApiHandler;
import io.millrace.broker.network.RequestContext;
import io.millrace.protocol.codec.OffsetDeleteCodec;
import java.util.concurrent.CompletionStage;

/** OffsetDelete: removes a group's committed offsets for partitions no member is subscribed to. */
public final class OffsetDeleteHandler implements ApiHandler<OffsetDeleteCodec.Request, OffsetDeleteCodec.Response> {

    private final OffsetDeleteCodec codec = new OffsetDeleteCodec();
    private final GroupCoordinator coordinator;

    public OffsetDeleteHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public OffsetDeleteCodec codec() {
        return codec;
    }

    @Override
    public CompletionStage<OffsetDeleteCodec.Response> handle(RequestContext context, OffsetDeleteCodec.Request request) {
        return coordinator.deleteOffsets(request);
    }
}
