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
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * DeleteTopics. Versions before 6 name topics only; from version 6 each topic is named either by
 * name or by id (the other being null).
 */
public final class DeleteTopicsCodec implements ApiCodec<DeleteTopicsCodec.Request, DeleteTopicsCodec.Response> {

    /** Exactly one of {@code name} and {@code topicId} is expected to be set. */
    public record TopicRef(String name, UUID topicId) {
    }

    public record Request(List<TopicRef> topics, int timeoutMs) {
    }

    public record TopicResult(String name, UUID topicId, ErrorCode error, String errorMessage) {
    }

    public record Response(List<TopicResult> topics) {
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.DELETE_TOPICS;
    }

    @Override
    public Request decodeRequest(ByteBuffer body, short version) {
        DeleteTopicsRequestData data = Codecs.parse(body, readable -> new DeleteTopicsRequestData(readable, version));
        List<TopicRef> topics = new ArrayList<>();
        if (version >= 6) {
            for (DeleteTopicsRequestData.DeleteTopicState topic : data.topics()) {
                topics.add(new TopicRef(topic.name(), Codecs.toUuid(topic.topicId())));
            }
        } else {
            for (String name : data.topicNames()) {
                topics.add(new TopicRef(name, null));
            }
        }
        return new Request(topics, data.timeoutMs());
    }

    @Override
    public EncodedResponse encodeResponse(Response response, short version, int correlationId) {
        DeleteTopicsResponseData data = new DeleteTopicsResponseData();
        for (TopicResult topic : response.topics()) {
            data.responses().add(new DeleteTopicsResponseData.DeletableTopicResult()
                    .setName(topic.name())
                    .setTopicId(Codecs.toKafka(topic.topicId()))
                    .setErrorCode(Codecs.code(topic.error()))
                    .setErrorMessage(topic.errorMessage()));
        }
        return ResponseWriter.encode(data, ApiKeys.DELETE_TOPICS, version, correlationId);
    }

    @Override
    public EncodedResponse encodeErrorResponse(Request request, short version, int correlationId, ErrorCode error) {
        List<TopicResult> topics = request.topics().stream()
                .map(t -> new TopicResult(t.name(), t.topicId(), error, null)).toList();
        return encodeResponse(new Response(topics), version, correlationId);
    }
}
