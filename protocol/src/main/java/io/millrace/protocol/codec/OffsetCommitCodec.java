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
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * OffsetCommit. From version 10 topics are named by id only: {@code name} is null there and
 * {@code topicId} is null below it. The retention time is on the wire in versions 2-4 only and
 * the committed leader epoch from version 6; absent values are -1.
 */
public final class OffsetCommitCodec implements ApiCodec<OffsetCommitCodec.Request, OffsetCommitCodec.Response> {

    /** {@code leaderEpoch} is -1 when absent; {@code metadata} may be null. */
    public record PartitionRequest(int partition, long offset, int leaderEpoch, String metadata) {
    }

    public record TopicRequest(String name, UUID topicId, List<PartitionRequest> partitions) {
    }

    /** {@code groupInstanceId} is null when absent; {@code retentionTimeMs} is -1 when absent. */
    public record Request(String groupId, int generationId, String memberId, String groupInstanceId,
                          long retentionTimeMs, List<TopicRequest> topics) {
    }

    public record PartitionResult(int partition, ErrorCode error) {
    }

    public record TopicResult(String name, UUID topicId, List<PartitionResult> partitions) {
    }

    public record Response(List<TopicResult> topics) {
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.OFFSET_COMMIT;
    }

    @Override
    public Request decodeRequest(ByteBuffer body, short version) {
        OffsetCommitRequestData data = Codecs.parse(body, readable -> new OffsetCommitRequestData(readable, version));
        List<TopicRequest> topics = new ArrayList<>(data.topics().size());
        for (OffsetCommitRequestData.OffsetCommitRequestTopic topic : data.topics()) {
            List<PartitionRequest> partitions = new ArrayList<>(topic.partitions().size());
            for (OffsetCommitRequestData.OffsetCommitRequestPartition p : topic.partitions()) {
                partitions.add(new PartitionRequest(p.partitionIndex(), p.committedOffset(),
                        p.committedLeaderEpoch(), p.committedMetadata()));
            }
            topics.add(new TopicRequest(version >= 10 ? null : topic.name(),
                    version >= 10 ? Codecs.toUuid(topic.topicId()) : null, partitions));
        }
        return new Request(data.groupId(), data.generationIdOrMemberEpoch(), data.memberId(),
                data.groupInstanceId(), data.retentionTimeMs(), topics);
    }

    @Override
    public EncodedResponse encodeResponse(Response response, short version, int correlationId) {
        OffsetCommitResponseData data = new OffsetCommitResponseData().setThrottleTimeMs(0);
        for (TopicResult topic : response.topics()) {
            OffsetCommitResponseData.OffsetCommitResponseTopic wire = new OffsetCommitResponseData.OffsetCommitResponseTopic()
                    .setName(topic.name() == null ? "" : topic.name())
                    .setTopicId(Codecs.toKafka(topic.topicId()));
            for (PartitionResult p : topic.partitions()) {
                wire.partitions().add(new OffsetCommitResponseData.OffsetCommitResponsePartition()
                        .setPartitionIndex(p.partition())
                        .setErrorCode(Codecs.code(p.error())));
            }
            data.topics().add(wire);
        }
        return ResponseWriter.encode(data, ApiKeys.OFFSET_COMMIT, version, correlationId);
    }

    @Override
    public EncodedResponse encodeErrorResponse(Request request, short version, int correlationId, ErrorCode error) {
        List<TopicResult> topics = new ArrayList<>(request.topics().size());
        for (TopicRequest topic : request.topics()) {
            topics.add(new TopicResult(topic.name(), topic.topicId(),
                    topic.partitions().stream().map(p -> new PartitionResult(p.partition(), error)).toList()));
        }
        return encodeResponse(new Response(topics), version, correlationId);
    }
}
