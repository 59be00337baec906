package io.millrace.protocol.codec;

import io.millrace.protocol.ApiCodec;
import io.millrace.protocol.ApiKey;
import io.millrace.protocol.EncodedResponse;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.FileSlice;
import io.millrace.protocol.wire.FileSliceRecords;
import io.millrace.protocol.wire.ResponseWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * Fetch. Log data in the response is a {@link FileSlice} written as a zero-copy file region.
 * From version 13 topics are named by id only. Millrace declines incremental fetch sessions by
 * answering with session id 0, which every client handles by sending full requests.
 */
public final class FetchCodec implements ApiCodec<FetchCodec.Request, FetchCodec.Response> {

    public record PartitionRequest(int partition, int currentLeaderEpoch, long fetchOffset, long logStartOffset,
                                   int partitionMaxBytes) {
    }

    public record TopicRequest(String name, UUID topicId, List<PartitionRequest> partitions) {
    }

    public record Request(int replicaId, int maxWaitMs, int minBytes, int maxBytes, byte isolationLevel,
                          int sessionId, int sessionEpoch, List<TopicRequest> topics) {
    }

    /** {@code records} is null when there is nothing to send. */
    public record PartitionResponse(int partition, ErrorCode error, long highWatermark, long lastStableOffset,
                                    long logStartOffset, FileSlice records) {
        public static PartitionResponse failed(int partition, ErrorCode error) {
            return new PartitionResponse(partition, error, -1, -1, -1, null);
        }
    }

    public record TopicResponse(String name, UUID topicId, List<PartitionResponse> partitions) {
    }

    public record Response(ErrorCode error, int sessionId, List<TopicResponse> topics) {
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.FETCH;
    }

    @Override
    public Request decodeRequest(ByteBuffer body, short version) {
        FetchRequestData data = Codecs.parse(body, readable -> new FetchRequestData(readable, version));
        List<TopicRequest> topics = new ArrayList<>(data.topics().size());
        for (FetchRequestData.FetchTopic topic : data.topics()) {
            List<PartitionRequest> partitions = new ArrayList<>(topic.partitions().size());
            for (FetchRequestData.FetchPartition p : topic.partitions()) {
                partitions.add(new PartitionRequest(p.partition(), p.currentLeaderEpoch(), p.fetchOffset(),
                        p.logStartOffset(), p.partitionMaxBytes()));
            }
            topics.add(new TopicRequest(version >= 13 ? null : topic.topic(), Codecs.toUuid(topic.topicId()), partitions));
        }
        int replicaId = version >= 15 ? data.replicaState().replicaId() : data.replicaId();
        return new Request(replicaId, data.maxWaitMs(), data.minBytes(), data.maxBytes(), data.isolationLevel(),
                data.sessionId(), data.sessionEpoch(), topics);
    }

    @Override
    public EncodedResponse encodeResponse(Response response, short version, int correlationId) {
        FetchResponseData data = new FetchResponseData()
                .setErrorCode(Codecs.code(response.error()))
                .setSessionId(response.sessionId());
        for (TopicResponse topic : response.topics()) {
            FetchResponseData.FetchableTopicResponse wire = new FetchResponseData.FetchableTopicResponse()
                    .setTopic(topic.name() == null ? "" : topic.name())
                    .setTopicId(Codecs.toKafka(topic.topicId()));
            for (PartitionResponse p : topic.partitions()) {
                wire.partitions().add(new FetchResponseData.PartitionData()
                        .setPartitionIndex(p.partition())
                        .setErrorCode(Codecs.code(p.error()))
                        .setHighWatermark(p.highWatermark())
                        .setLastStableOffset(p.lastStableOffset())
                        .setLogStartOffset(p.logStartOffset())
                        .setRecords(p.records() == null ? MemoryRecords.EMPTY : new FileSliceRecords(p.records())));
            }
            data.responses().add(wire);
        }
        return ResponseWriter.encode(data, ApiKeys.FETCH, version, correlationId);
    }

    @Override
    public EncodedResponse encodeErrorResponse(Request request, short version, int correlationId, ErrorCode error) {
        List<TopicResponse> topics = new ArrayList<>();
        for (TopicRequest topic : request.topics()) {
            List<PartitionResponse> partitions = new ArrayList<>();
            for (PartitionRequest p : topic.partitions()) {
                partitions.add(PartitionResponse.failed(p.partition(), error));
            }
            topics.add(new TopicResponse(topic.name(), topic.topicId(), partitions));
        }
        return encodeResponse(new Response(error, 0, topics), version, correlationId);
    }
}
