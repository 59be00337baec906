package io.millrace.protocol.codec;

import io.millrace.protocol.ApiCodec;
import io.millrace.protocol.ApiKey;
import io.millrace.protocol.EncodedResponse;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.wire.ResponseWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * ListOffsets. Special timestamps, as Kafka defines them: -1 latest, -2 earliest, -3 the record
 * with the largest timestamp, -4 earliest local, -5 latest tiered, -6 earliest pending upload.
 */
public final class ListOffsetsCodec implements ApiCodec<ListOffsetsCodec.Request, ListOffsetsCodec.Response> {

    public static final long LATEST_TIMESTAMP = -1L;
    public static final long EARLIEST_TIMESTAMP = -2L;
    public static final long MAX_TIMESTAMP = -3L;
    public static final long EARLIEST_LOCAL_TIMESTAMP = -4L;
    public static final long LATEST_TIERED_TIMESTAMP = -5L;
    public static final long EARLIEST_PENDING_UPLOAD_TIMESTAMP = -6L;

    public record PartitionRequest(int partition, int currentLeaderEpoch, long timestamp) {
    }

    public record TopicRequest(String name, List<PartitionRequest> partitions) {
    }

    /** {@code isolationLevel} 0 is read_uncommitted, 1 read_committed. */
    public record Request(int replicaId, byte isolationLevel, List<TopicRequest> topics) {
    }

    public record PartitionResponse(int partition, ErrorCode error, long timestamp, long offset, int leaderEpoch) {
        public static PartitionResponse failed(int partition, ErrorCode error) {
            return new PartitionResponse(partition, error, -1, -1, -1);
        }
    }

    public record TopicResponse(String name, List<PartitionResponse> partitions) {
    }

    public record Response(List<TopicResponse> topics) {
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.LIST_OFFSETS;
    }

    @Override
    public Request decodeRequest(ByteBuffer body, short version) {
        ListOffsetsRequestData data = Codecs.parse(body, readable -> new ListOffsetsRequestData(readable, version));
        List<TopicRequest> topics = new ArrayList<>();
        for (ListOffsetsRequestData.ListOffsetsTopic topic : data.topics()) {
            List<PartitionRequest> partitions = new ArrayList<>();
            for (ListOffsetsRequestData.ListOffsetsPartition p : topic.partitions()) {
                partitions.add(new PartitionRequest(p.partitionIndex(), p.currentLeaderEpoch(), p.timestamp()));
            }
            topics.add(new TopicRequest(topic.name(), partitions));
        }
        return new Request(data.replicaId(), data.isolationLevel(), topics);
    }

    @Override
    public EncodedResponse encodeResponse(Response response, short version, int correlationId) {
        ListOffsetsResponseData data = new ListOffsetsResponseData();
        for (TopicResponse topic : response.topics()) {
            ListOffsetsResponseData.ListOffsetsTopicResponse wire = new ListOffsetsResponseData.ListOffsetsTopicResponse()
                    .setName(topic.name());
            for (PartitionResponse p : topic.partitions()) {
                wire.partitions().add(new ListOffsetsResponseData.ListOffsetsPartitionResponse()
                        .setPartitionIndex(p.partition())
                        .setErrorCode(Codecs.code(p.error()))
                        .setTimestamp(p.timestamp())
                        .setOffset(p.offset())
                        // The field exists from version 4; older versions must carry the default.
                        .setLeaderEpoch(version >= 4 ? p.leaderEpoch() : -1));
            }
            data.topics().add(wire);
        }
        return ResponseWriter.encode(data, ApiKeys.LIST_OFFSETS, version, correlationId);
    }

    @Override
    public EncodedResponse encodeErrorResponse(Request request, short version, int correlationId, ErrorCode error) {
        List<TopicResponse> topics = new ArrayList<>();
        for (TopicRequest topic : request.topics()) {
            topics.add(new TopicResponse(topic.name(),
                    topic.partitions().stream().map(p -> PartitionResponse.failed(p.partition(), error)).toList()));
        }
        return encodeResponse(new Response(topics), version, correlationId);
    }
}
