package io.millrace.protocol.codec;

import io.millrace.protocol.ApiCodec;
import io.millrace.protocol.ApiKey;
import io.millrace.protocol.EncodedResponse;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.wire.ResponseWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/** CreatePartitions: raise topics' partition counts, optionally placing the new partitions. */
public final class CreatePartitionsCodec
        implements ApiCodec<CreatePartitionsCodec.Request, CreatePartitionsCodec.Response> {

    /** {@code assignments} holds the replicas of each new partition, or is null to let the broker place them. */
    public record TopicRequest(String name, int count, List<List<Integer>> assignments) {
    }

    public record Request(List<TopicRequest> topics, int timeoutMs, boolean validateOnly) {
    }

    public record TopicResult(String name, ErrorCode error, String errorMessage) {
    }

    public record Response(List<TopicResult> topics) {
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.CREATE_PARTITIONS;
    }

    @Override
    public Request decodeRequest(ByteBuffer body, short version) {
        CreatePartitionsRequestData data =
                Codecs.parse(body, readable -> new CreatePartitionsRequestData(readable, version));
        List<TopicRequest> topics = new ArrayList<>(data.topics().size());
        for (CreatePartitionsRequestData.CreatePartitionsTopic topic : data.topics()) {
            List<List<Integer>> assignments = null;
            if (topic.assignments() != null) {
                assignments = new ArrayList<>();
                for (CreatePartitionsRequestData.CreatePartitionsAssignment a : topic.assignments()) {
                    assignments.add(List.copyOf(a.brokerIds()));
                }
            }
            topics.add(new TopicRequest(topic.name(), topic.count(), assignments));
        }
        return new Request(topics, data.timeoutMs(), data.validateOnly());
    }

    @Override
    public EncodedResponse encodeResponse(Response response, short version, int correlationId) {
        CreatePartitionsResponseData data = new CreatePartitionsResponseData();
        for (TopicResult topic : response.topics()) {
            data.results().add(new CreatePartitionsResponseData.CreatePartitionsTopicResult()
                    .setName(topic.name())
                    .setErrorCode(Codecs.code(topic.error()))
                    .setErrorMessage(topic.errorMessage()));
        }
        return ResponseWriter.encode(data, ApiKeys.CREATE_PARTITIONS, version, correlationId);
    }

    @Override
    public EncodedResponse encodeErrorResponse(Request request, short version, int correlationId, ErrorCode error) {
        List<TopicResult> topics = request.topics().stream().map(t -> new TopicResult(t.name(), error, null)).toList();
        return encodeResponse(new Response(topics), version, correlationId);
    }
}
