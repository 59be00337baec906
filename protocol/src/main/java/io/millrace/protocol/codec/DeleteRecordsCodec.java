package io.millrace.protocol.codec;

import io.millrace.protocol.ApiCodec;
import io.millrace.protocol.ApiKey;
import io.millrace.protocol.EncodedResponse;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.wire.ResponseWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * DeleteRecords: move partitions' log start offsets forward. An offset of
 * {@link #HIGH_WATERMARK} means "up to the high watermark".
 */
public final class DeleteRecordsCodec implements ApiCodec<DeleteRecordsCodec.Request, DeleteRecordsCodec.Response> {

    public static final long HIGH_WATERMARK = -1L;

    public record PartitionRequest(int partition, long offset) {
    }

    public record TopicRequest(String name, List<PartitionRequest> partitions) {
    }

    public record Request(List<TopicRequest> topics, int timeoutMs) {
    }

    public record PartitionResult(int partition, long lowWatermark, ErrorCode error) {
        public static PartitionResult failed(int partition, ErrorCode error) {
            return new PartitionResult(partition, -1L, error);
        }
    }

    public record TopicResult(String name, List<PartitionResult> partitions) {
    }

    public record Response(List<TopicResult> topics) {
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.DELETE_RECORDS;
    }

    @Override
    public Request decodeRequest(ByteBuffer body, short version) {
        DeleteRecordsRequestData data = Codecs.parse(body, readable -> new DeleteRecordsRequestData(readable, version));
        List<TopicRequest> topics = new ArrayList<>(data.topics().size());
        for (DeleteRecordsRequestData.DeleteRecordsTopic topic : data.topics()) {
            List<PartitionRequest> partitions = new ArrayList<>(topic.partitions().size());
            for (DeleteRecordsRequestData.DeleteRecordsPartition p : topic.partitions()) {
                partitions.add(new PartitionRequest(p.partitionIndex(), p.offset()));
            }
            topics.add(new TopicRequest(topic.name(), partitions));
        }
        return new Request(topics, data.timeoutMs());
    }

    @Override
    public EncodedResponse encodeResponse(Response response, short version, int correlationId) {
        DeleteRecordsResponseData data = new DeleteRecordsResponseData();
        for (TopicResult topic : response.topics()) {
            DeleteRecordsResponseData.DeleteRecordsTopicResult wire =
                    new DeleteRecordsResponseData.DeleteRecordsTopicResult().setName(topic.name());
            for (PartitionResult p : topic.partitions()) {
                wire.partitions().add(new DeleteRecordsResponseData.DeleteRecordsPartitionResult()
                        .setPartitionIndex(p.partition())
                        .setLowWatermark(p.lowWatermark())
                        .setErrorCode(Codecs.code(p.error())));
            }
            data.topics().add(wire);
        }
        return ResponseWriter.encode(data, ApiKeys.DELETE_RECORDS, version, correlationId);
    }

    @Override
    public EncodedResponse encodeErrorResponse(Request request, short version, int correlationId, ErrorCode error) {
        List<TopicResult> topics = new ArrayList<>();
        for (TopicRequest topic : request.topics()) {
            topics.add(new TopicResult(topic.name(),
                    topic.partitions().stream().map(p -> PartitionResult.failed(p.partition(), error)).toList()));
        }
        return encodeResponse(new Response(topics), version, correlationId);
    }
}
