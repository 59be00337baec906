package io.millrace.broker.handler.group;

import io.millrace.broker.group.GroupCoordinator;
import io.millrace.broker.network.ApiHandler;
import io.millrace.broker.network.RequestContext;
import io.millrace.metadata.MetadataImage;
import io.millrace.metadata.MetadataService;
import io.millrace.protocol.codec.OffsetCommitCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * OffsetCommit: topic ids (v10) are resolved to names from the metadata image, then the
 * coordinator validates the member and writes the offsets to the group's offsets partition.
 */
public final class OffsetCommitHandler implements ApiHandler<OffsetCommitCodec.Request, OffsetCommitCodec.Response> {

    private final OffsetCommitCodec codec = new OffsetCommitCodec();
    private final GroupCoordinator coordinator;
    private final MetadataService metadata;

    public OffsetCommitHandler(GroupCoordinator coordinator, MetadataService metadata) {
        this.coordinator = coordinator;
        this.metadata = metadata;
    }

    @Override
    public OffsetCommitCodec codec() {
        return codec;
    }

    @Override
    public CompletionStage<OffsetCommitCodec.Response> handle(RequestContext context, OffsetCommitCodec.Request request) {
        MetadataImage image = metadata.image();
        List<OffsetCommitCodec.TopicRequest> topics = new ArrayList<>(request.topics().size());
        for (OffsetCommitCodec.TopicRequest topic : request.topics()) {
            topics.add(new OffsetCommitCodec.TopicRequest(image.resolveName(topic.name(), topic.topicId()), topic.topicId(),
                    topic.partitions()));
        }
        OffsetCommitCodec.Request resolved = new OffsetCommitCodec.Request(request.groupId(), request.generationId(),
                request.memberId(), request.groupInstanceId(), request.retentionTimeMs(), topics);
        return coordinator.commitOffsets(resolved, name -> image.topic(name).isPresent());
    }
}
