package io.millrace.protocol.codec;

import io.millrace.protocol.ApiCodec;
import io.millrace.protocol.ApiKey;
import io.millrace.protocol.EncodedResponse;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.wire.ResponseWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * CreateTopics. A topic's partition count and replication factor are -1 when the client wants the
 * broker's defaults or gives a manual assignment. The request keeps every topic entry in order,
 * including repeated names, so the handler can reject duplicates as Kafka does.
 */
public final class CreateTopicsCodec implements ApiCodec<CreateTopicsCodec.Request, CreateTopicsCodec.Response> {

    /**
     * @param assignments partition index to replica broker ids, in request order; empty for none
     * @param configs     config overrides in request order; a value may be null (which is invalid)
     */
    public record TopicRequest(String name, int numPartitions, short replicationFactor,
                               Map<Integer, List<Integer>> assignments, Map<String, String> configs) {
        public TopicRequest {
            assignments = Collections.unmodifiableMap(new LinkedHashMap<>(assignments));
            configs = Collections.unmodifiableMap(new LinkedHashMap<>(configs));
        }
    }

    public record Request(List<TopicRequest> topics, int timeoutMs, boolean validateOnly) {
    }

    /**
     * @param topicId null for validate-only requests and failures
     * @param configs the topic's configs (v5+), or null when they are not reported
     */
    public record TopicResult(String name, UUID topicId, ErrorCode error, String errorMessage,
                              int numPartitions, short replicationFactor, List<ConfigValue> configs) {
        public static TopicResult failed(String name, ErrorCode error, String message) {
            return new TopicResult(name, null, error, message, -1, (short) -1, null);
        }
    }

    public record Response(List<TopicResult> topics) {
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.CREATE_TOPICS;
    }

    @Override
    public Request decodeRequest(ByteBuffer body, short version) {
        CreateTopicsRequestData data = Codecs.parse(body, readable -> new CreateTopicsRequestData(readable, version));
        List<TopicRequest> topics = new ArrayList<>(data.topics().size());
        for (CreateTopicsRequestData.CreatableTopic topic : data.topics()) {
            Map<Integer, List<Integer>> assignments = new LinkedHashMap<>();
            for (CreateTopicsRequestData.CreatableReplicaAssignment a : topic.assignments()) {
                assignments.put(a.partitionIndex(), List.copyOf(a.brokerIds()));
            }
            Map<String, String> configs = new LinkedHashMap<>();
            for (CreateTopicsRequestData.CreatableTopicConfig c : topic.configs()) {
                configs.put(c.name(), c.value());
            }
            topics.add(new TopicRequest(topic.name(), topic.numPartitions(), topic.replicationFactor(),
                    assignments, configs));
        }
        return new Request(topics, data.timeoutMs(), data.validateOnly());
    }

    @Override
    public EncodedResponse encodeResponse(Response response, short version, int correlationId) {
        CreateTopicsResponseData data = new CreateTopicsResponseData();
        for (TopicResult topic : response.topics()) {
            CreateTopicsResponseData.CreatableTopicResult wire = new CreateTopicsResponseData.CreatableTopicResult()
                    .setName(topic.name())
                    .setTopicId(Codecs.toKafka(topic.topicId()))
                    .setErrorCode(Codecs.code(topic.error()))
                    .setErrorMessage(topic.errorMessage())
                    .setNumPartitions(topic.numPartitions())
                    .setReplicationFactor(topic.replicationFactor());
            if (topic.configs() == null) {
                wire.setConfigs(null);
            } else {
                for (ConfigValue config : topic.configs()) {
                    wire.configs().add(new CreateTopicsResponseData.CreatableTopicConfigs()
                            .setName(config.name())
                            .setValue(config.value())
                            .setReadOnly(config.readOnly())
                            .setConfigSource(config.source().id())
                            .setIsSensitive(config.sensitive()));
                }
            }
            data.topics().add(wire);
        }
        return ResponseWriter.encode(data, ApiKeys.CREATE_TOPICS, version, correlationId);
    }

    @Override
    public EncodedResponse encodeErrorResponse(Request request, short version, int correlationId, ErrorCode error) {
        List<TopicResult> topics = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (TopicRequest topic : request.topics()) {
            if (seen.add(topic.name())) {
                topics.add(TopicResult.failed(topic.name(), error, null));
            }
        }
        return encodeResponse(new Response(topics), version, correlationId);
    }
}
