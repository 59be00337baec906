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
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * Produce. Record batches are handed on as slices of the request buffer, exactly as the client
 * sent them (no copy, no decompression). From version 13 topics are named by id only.
 */
public final class ProduceCodec implements ApiCodec<ProduceCodec.Request, ProduceCodec.Response> {

    public record PartitionData(int index, ByteBuffer records) {
    }

    /** A topic by name (versions up to 12) or by id (13+). */
    public record TopicData(String name, UUID topicId, List<PartitionData> partitions) {
    }

    public record Request(String transactionalId, short acks, int timeoutMs, List<TopicData> topics) {
    }

    public record PartitionResponse(int index, ErrorCode error, String errorMessage, long baseOffset,
                                    long logAppendTimeMs, long logStartOffset) {
        public static PartitionResponse failed(int index, ErrorCode error, String message) {
            return new PartitionResponse(index, error, message, -1, -1, -1);
        }
    }

    public record TopicResponse(String name, UUID topicId, List<PartitionResponse> partitions) {
    }

    public record Response(List<TopicResponse> topics) {
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.PRODUCE;
    }

    @Override
    public Request decodeRequest(ByteBuffer body, short version) {
        ProduceRequestData data = Codecs.parse(body, readable -> new ProduceRequestData(readable, version));
        List<TopicData> topics = new ArrayList<>(data.topicData().size());
        for (ProduceRequestData.TopicProduceData topic : data.topicData()) {
            List<PartitionData> partitions = new ArrayList<>(topic.partitionData().size());
            for (ProduceRequestData.PartitionProduceData partition : topic.partitionData()) {
                partitions.add(new PartitionData(partition.index(), bufferOf(partition.records())));
            }
            topics.add(new TopicData(topic.name(), Codecs.toUuid(topic.topicId()), partitions));
        }
        return new Request(data.transactionalId(), data.acks(), data.timeoutMs(), topics);
    }

    private static ByteBuffer bufferOf(BaseRecords records) {
        if (records instanceof MemoryRecords memory) {
            return memory.buffer();
        }
        return ByteBuffer.allocate(0);
    }

    @Override
    public EncodedResponse encodeResponse(Response response, short version, int correlationId) {
        ProduceResponseData data = new ProduceResponseData();
        for (TopicResponse topic : response.topics()) {
            ProduceResponseData.TopicProduceResponse wire = new ProduceResponseData.TopicProduceResponse()
                    .setName(version >= 13 ? "" : topic.name())
                    .setTopicId(Codecs.toKafka(topic.topicId()));
            for (PartitionResponse partition : topic.partitions()) {
                wire.partitionResponses().add(new ProduceResponseData.PartitionProduceResponse()
                        .setIndex(partition.index())
                        .setErrorCode(Codecs.code(partition.error()))
                        .setErrorMessage(partition.error() == ErrorCode.NONE ? null : partition.errorMessage())
                        .setBaseOffset(partition.baseOffset())
                        .setLogAppendTimeMs(partition.logAppendTimeMs())
                        .setLogStartOffset(partition.logStartOffset()));
            }
            data.responses().add(wire);
        }
        return ResponseWriter.encode(data, ApiKeys.PRODUCE, version, correlationId);
    }

    @Override
    public EncodedResponse encodeErrorResponse(Request request, short version, int correlationId, ErrorCode error) {
        return encodeResponse(errorResponse(request, error, null), version, correlationId);
    }

    /** The response that gives every partition of {@code request} the same error. */
    public static Response errorResponse(Request request, ErrorCode error, String message) {
        List<TopicResponse> topics = new ArrayList<>();
        for (TopicData topic : request.topics()) {
            List<PartitionResponse> partitions = new ArrayList<>();
            for (PartitionData partition : topic.partitions()) {
                partitions.add(PartitionResponse.failed(partition.index(), error, message));
            }
            topics.add(new TopicResponse(topic.name(), topic.topicId(), partitions));
        }
        return new Response(topics);
    }
}
