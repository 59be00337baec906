package io.millrace.protocol.codec;

import io.millrace.protocol.ApiCodec;
import io.millrace.protocol.ApiKey;
import io.millrace.protocol.EncodedResponse;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.wire.ResponseWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/** OffsetDelete: drop a group's committed offsets for some partitions. */
public final class OffsetDeleteCodec implements ApiCodec<OffsetDeleteCodec.Request, OffsetDeleteCodec.Response> {

    public record TopicRequest(String name, List<Integer> partitions) {
    }

    public record Request(String groupId, List<TopicRequest> topics) {
    }

    public record PartitionResult(int partition, ErrorCode error) {
    }

    public record TopicResult(String name, List<PartitionResult> partitions) {
    }

    public record Response(ErrorCode error, List<TopicResult> topics) {
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.OFFSET_DELETE;
    }

    @Override
    public Request decodeRequest(ByteBuffer body, short version) {
        OffsetDeleteRequestData data = Codecs.parse(body, readable -> new OffsetDeleteRequestData(readable, version));
        List<TopicRequest> topics = new ArrayList<>(data.topics().size());
        for (OffsetDeleteRequestData.OffsetDeleteRequestTopic topic : data.topics()) {
            List<Integer> partitions = new ArrayList<>(topic.partitions().size());
            for (OffsetDeleteRequestData.OffsetDeleteRequestPartition p : topic.partitions()) {
                partitions.add(p.partitionIndex());
            }
            topics.add(new TopicRequest(topic.name(), partitions));
        }
        return new Request(data.groupId(), topics);
    }

    @Override
    public EncodedResponse encodeResponse(Response response, short version, int correlationId) {
        OffsetDeleteResponseData data = new OffsetDeleteResponseData()
                .setThrottleTimeMs(0)
                .setErrorCode(Codecs.code(response.error()));
        for (TopicResult topic : response.topics()) {
            OffsetDeleteResponseData.OffsetDeleteResponseTopic wire =
                    new OffsetDeleteResponseData.OffsetDeleteResponseTopic().setName(topic.name());
            for (PartitionResult p : topic.partitions()) {
                wire.partitions().add(new OffsetDeleteResponseData.OffsetDeleteResponsePartition()
                        .setPartitionIndex(p.partition())
                        .setErrorCode(Codecs.code(p.error())));
            }
            data.topics().add(wire);
        }
        return ResponseWriter.encode(data, ApiKeys.OFFSET_DELETE, version, correlationId);
    }

    @Override
    public EncodedResponse encodeErrorResponse(Request request, short version, int correlationId, ErrorCode error) {
        List<TopicResult> topics = new ArrayList<>(request.topics().size());
        for (TopicRequest topic : request.topics()) {
            topics.add(new TopicResult(topic.name(),
                    topic.partitions().stream().map(p -> new PartitionResult(p, error)).toList()));
        }
        return encodeResponse(new Response(error, topics), version, correlationId);
    }
}
