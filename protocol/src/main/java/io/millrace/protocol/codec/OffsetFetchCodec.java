package io.millrace.protocol.codec;

import io.millrace.protocol.ApiCodec;
import io.millrace.protocol.ApiKey;
import io.millrace.protocol.EncodedResponse;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.wire.ResponseWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * OffsetFetch. Below version 8 a request names a single group, decoded as one
 * {@link GroupRequest}, and the response answers for the first group only; its group-level error
 * goes in the top-level error field (version 2 and later) and, below version 2, where that field
 * does not exist, on every partition. A null topic list means "all topics". From version 10 topics
 * are named by id only: {@code name} is null there and {@code topicId} is null below it.
 */
public final class OffsetFetchCodec implements ApiCodec<OffsetFetchCodec.Request, OffsetFetchCodec.Response> {

    public record TopicRequest(String name, UUID topicId, List<Integer> partitions) {
    }

    /** {@code memberId} is null and {@code memberEpoch} -1 when absent; {@code topics} null means all topics. */
    public record GroupRequest(String groupId, String memberId, int memberEpoch, List<TopicRequest> topics) {
    }

    public record Request(List<GroupRequest> groups, boolean requireStable) {
    }

    /** {@code metadata} may be null. */
    public record PartitionResult(int partition, long offset, int leaderEpoch, String metadata, ErrorCode error) {
        public static PartitionResult failed(int partition, ErrorCode error) {
            return new PartitionResult(partition, -1L, -1, "", error);
        }
    }

    public record TopicResult(String name, UUID topicId, List<PartitionResult> partitions) {
    }

    public record GroupResult(String groupId, ErrorCode error, List<TopicResult> topics) {
    }

    public record Response(List<GroupResult> groups) {
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.OFFSET_FETCH;
    }

    @Override
    public Request decodeRequest(ByteBuffer body, short version) {
        OffsetFetchRequestData data = Codecs.parse(body, readable -> new OffsetFetchRequestData(readable, version));
        List<GroupRequest> groups = new ArrayList<>();
        if (version < 8) {
            List<TopicRequest> topics = null;
            if (data.topics() != null) {
                topics = new ArrayList<>(data.topics().size());
                for (OffsetFetchRequestData.OffsetFetchRequestTopic topic : data.topics()) {
                    topics.add(new TopicRequest(topic.name(), null, List.copyOf(topic.partitionIndexes())));
                }
            }
            groups.add(new GroupRequest(data.groupId(), null, -1, topics));
        } else {
            for (OffsetFetchRequestData.OffsetFetchRequestGroup group : data.groups()) {
                List<TopicRequest> topics = null;
                if (group.topics() != null) {
                    topics = new ArrayList<>(group.topics().size());
                    for (OffsetFetchRequestData.OffsetFetchRequestTopics topic : group.topics()) {
                        topics.add(new TopicRequest(version >= 10 ? null : topic.name(),
                                version >= 10 ? Codecs.toUuid(topic.topicId()) : null,
                                List.copyOf(topic.partitionIndexes())));
                    }
                }
                groups.add(new GroupRequest(group.groupId(), group.memberId(), group.memberEpoch(), topics));
            }
        }
        return new Request(groups, data.requireStable());
    }

    @Override
    public EncodedResponse encodeResponse(Response response, short version, int correlationId) {
        OffsetFetchResponseData data = new OffsetFetchResponseData().setThrottleTimeMs(0);
        if (version >= 8) {
            for (GroupResult group : response.groups()) {
                OffsetFetchResponseData.OffsetFetchResponseGroup wireGroup = new OffsetFetchResponseData.OffsetFetchResponseGroup()
                        .setGroupId(group.groupId())
                        .setErrorCode(Codecs.code(group.error()));
                for (TopicResult topic : group.topics()) {
                    OffsetFetchResponseData.OffsetFetchResponseTopics wire = new OffsetFetchResponseData.OffsetFetchResponseTopics()
                            .setName(topic.name() == null ? "" : topic.name())
                            .setTopicId(Codecs.toKafka(topic.topicId()));
                    for (PartitionResult p : topic.partitions()) {
                        wire.partitions().add(new OffsetFetchResponseData.OffsetFetchResponsePartitions()
                                .setPartitionIndex(p.partition())
                                .setCommittedOffset(p.offset())
                                .setCommittedLeaderEpoch(p.leaderEpoch())
                                .setMetadata(p.metadata())
                                .setErrorCode(Codecs.code(p.error())));
                    }
                    wireGroup.topics().add(wire);
                }
                data.groups().add(wireGroup);
            }
        } else if (!response.groups().isEmpty()) {
            GroupResult group = response.groups().get(0);
            // Version 0-1 have no top-level error: a group-level error is reported on every partition.
            boolean errorOnPartitions = version < 2 && group.error() != ErrorCode.NONE;
            if (version >= 2) {
                data.setErrorCode(Codecs.code(group.error()));
            }
            for (TopicResult topic : group.topics()) {
                OffsetFetchResponseData.OffsetFetchResponseTopic wire = new OffsetFetchResponseData.OffsetFetchResponseTopic()
                        .setName(topic.name() == null ? "" : topic.name());
                for (PartitionResult p : topic.partitions()) {
                    wire.partitions().add(new OffsetFetchResponseData.OffsetFetchResponsePartition()
                            .setPartitionIndex(p.partition())
                            .setCommittedOffset(p.offset())
                            .setCommittedLeaderEpoch(p.leaderEpoch())
                            .setMetadata(p.metadata())
                            .setErrorCode(Codecs.code(errorOnPartitions ? group.error() : p.error())));
                }
                data.topics().add(wire);
            }
        }
        return ResponseWriter.encode(data, ApiKeys.OFFSET_FETCH, version, correlationId);
    }

    @Override
    public EncodedResponse encodeErrorResponse(Request request, short version, int correlationId, ErrorCode error) {
        List<GroupResult> groups = new ArrayList<>(request.groups().size());
        for (GroupRequest group : request.groups()) {
            List<TopicResult> topics = new ArrayList<>();
            if (group.topics() != null) {
                for (TopicRequest topic : group.topics()) {
                    topics.add(new TopicResult(topic.name(), topic.topicId(),
                            topic.partitions().stream().map(p -> PartitionResult.failed(p, error)).toList()));
                }
            }
            groups.add(new GroupResult(group.groupId(), error, topics));
        }
        return encodeResponse(new Response(groups), version, correlationId);
    }
}
