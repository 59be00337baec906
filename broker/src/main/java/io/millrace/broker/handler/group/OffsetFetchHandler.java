package io.millrace.broker.handler.group;

import io.millrace.broker.group.GroupCoordinator;
import io.millrace.broker.network.ApiHandler;
import io.millrace.broker.network.RequestContext;
import io.millrace.metadata.MetadataImage;
import io.millrace.metadata.MetadataService;
import io.millrace.metadata.TopicInfo;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.codec.OffsetFetchCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * OffsetFetch for one group (v0-7) or several (v8+). Topic ids (v10) are resolved to names and
 * back; all topics are returned when the request names none.
 */
public final class OffsetFetchHandler implements ApiHandler<OffsetFetchCodec.Request, OffsetFetchCodec.Response> {

    private final OffsetFetchCodec codec = new OffsetFetchCodec();
    private final GroupCoordinator coordinator;
    private final MetadataService metadata;

    public OffsetFetchHandler(GroupCoordinator coordinator, MetadataService metadata) {
        this.coordinator = coordinator;
        this.metadata = metadata;
    }

    @Override
    public OffsetFetchCodec codec() {
        return codec;
    }

    @Override
    public CompletionStage<OffsetFetchCodec.Response> handle(RequestContext context, OffsetFetchCodec.Request request) {
        MetadataImage image = metadata.image();
        boolean byId = context.apiVersion() >= 10;
        List<OffsetFetchCodec.GroupResult> groups = new ArrayList<>(request.groups().size());
        for (OffsetFetchCodec.GroupRequest group : request.groups()) {
            OffsetFetchCodec.GroupResult result = coordinator.fetchOffsets(resolve(group, image));
            groups.add(byId ? withIds(result, image) : result);
        }
        return CompletableFuture.completedFuture(new OffsetFetchCodec.Response(groups));
    }

    private static OffsetFetchCodec.GroupRequest resolve(OffsetFetchCodec.GroupRequest group, MetadataImage image) {
        if (group.topics() == null) {
            return group;
        }
        List<OffsetFetchCodec.TopicRequest> topics = new ArrayList<>(group.topics().size());
        for (OffsetFetchCodec.TopicRequest topic : group.topics()) {
            topics.add(new OffsetFetchCodec.TopicRequest(image.resolveName(topic.name(), topic.topicId()), topic.topicId(),
                    topic.partitions()));
        }
        return new OffsetFetchCodec.GroupRequest(group.groupId(), group.memberId(), group.memberEpoch(), topics);
    }

    /** At v10 every topic is named by id; a topic deleted since its commit is dropped (all topics) or UNKNOWN_TOPIC_ID. */
    private static OffsetFetchCodec.GroupResult withIds(OffsetFetchCodec.GroupResult result, MetadataImage image) {
        List<OffsetFetchCodec.TopicResult> topics = new ArrayList<>();
        for (OffsetFetchCodec.TopicResult topic : result.topics()) {
            UUID id = topic.topicId() != null ? topic.topicId()
                    : topic.name() == null ? null : image.topic(topic.name()).map(TopicInfo::id).orElse(null);
            if (id == null) {
                continue;
            }
            List<OffsetFetchCodec.PartitionResult> partitions = topic.name() != null ? topic.partitions()
                    : topic.partitions().stream().map(p -> new OffsetFetchCodec.PartitionResult(p.partition(), -1L, -1,
                            "", ErrorCode.UNKNOWN_TOPIC_ID)).toList();
            topics.add(new OffsetFetchCodec.TopicResult(topic.name(), id, partitions));
        }
        return new OffsetFetchCodec.GroupResult(result.groupId(), result.error(), topics);
    }
}
