package io.millrace.protocol.codec;

import io.millrace.protocol.ApiCodec;
import io.millrace.protocol.ApiKey;
import io.millrace.protocol.EncodedResponse;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.wire.ResponseWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/** OffsetForLeaderEpoch: where a leader epoch ended, used to detect and repair log divergence. */
public final class OffsetForLeaderEpochCodec
        implements ApiCodec<OffsetForLeaderEpochCodec.Request, OffsetForLeaderEpochCodec.Response> {

    public record PartitionRequest(int partition, int currentLeaderEpoch, int leaderEpoch) {
    }

    public record TopicRequest(String name, List<PartitionRequest> partitions) {
    }

    public record Request(int replicaId, List<TopicRequest> topics) {
    }

    public record PartitionResponse(int partition, ErrorCode error, int leaderEpoch, long endOffset) {
        public static PartitionResponse failed(int partition, ErrorCode error) {
            return new PartitionResponse(partition, error, -1, -1);
        }
    }

    public record TopicResponse(String name, List<PartitionResponse> partitions) {
    }

    public record Response(List<TopicResponse> topics) {
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.OFFSET_FOR_LEADER_EPOCH;
    }

    @Override
    public Request decodeRequest(ByteBuffer body, short version) {
        OffsetForLeaderEpochRequestData data = Codecs.parse(body,
                readable -> new OffsetForLeaderEpochRequestData(readable, version));
        List<TopicRequest> topics = new ArrayList<>();
        for (OffsetForLeaderEpochRequestData.OffsetForLeaderTopic topic : data.topics()) {
            List<PartitionRequest> partitions = new ArrayList<>();
            for (OffsetForLeaderEpochRequestData.OffsetForLeaderPartition p : topic.partitions()) {
                partitions.add(new PartitionRequest(p.partition(), p.currentLeaderEpoch(), p.leaderEpoch()));
            }
            topics.add(new TopicRequest(topic.topic(), partitions));
        }
        return new Request(data.replicaId(), topics);
    }

    @Override
    public EncodedResponse encodeResponse(Response response, short version, int correlationId) {
        OffsetForLeaderEpochResponseData data = new OffsetForLeaderEpochResponseData();
        for (TopicResponse topic : response.topics()) {
            OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult wire =
                    new OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult().setTopic(topic.name());
            for (PartitionResponse p : topic.partitions()) {
                wire.partitions().add(new OffsetForLeaderEpochResponseData.EpochEndOffset()
                        .setPartition(p.partition())
                        .setErrorCode(Codecs.code(p.error()))
                        .setLeaderEpoch(p.leaderEpoch())
                        .setEndOffset(p.endOffset()));
            }
            data.topics().add(wire);
        }
        return ResponseWriter.encode(data, ApiKeys.OFFSET_FOR_LEADER_EPOCH, version, correlationId);
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
