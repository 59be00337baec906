package io.millrace.broker.handler.admin;

import io.millrace.broker.BrokerServices;
import io.millrace.broker.TopicDefaults;
import io.millrace.broker.network.ApiHandler;
import io.millrace.broker.network.RequestContext;
import io.millrace.metadata.CreateTopicResult;
import io.millrace.metadata.MetadataService;
import io.millrace.metadata.NewTopic;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.codec.CreateTopicsCodec;
import io.millrace.protocol.codec.CreateTopicsCodec.TopicRequest;
import io.millrace.protocol.codec.CreateTopicsCodec.TopicResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * CreateTopics. The metadata quorum validates and creates the topics (rejecting repeated names with
 * INVALID_REQUEST, as Kafka does); this handler only rejects what the metadata types cannot
 * express, a config with a null value, and reports each created topic's configs from version 5.
 * A repeated name gets a single INVALID_REQUEST result, as Kafka's keyed response has one entry
 * per name.
 */
public final class CreateTopicsHandler implements ApiHandler<CreateTopicsCodec.Request, CreateTopicsCodec.Response> {

    private static final short FIRST_VERSION_WITH_CONFIGS = 5;

    private final CreateTopicsCodec codec = new CreateTopicsCodec();
    private final MetadataService metadata;
    private final Map<String, String> brokerDefaults;

    public CreateTopicsHandler(BrokerServices services) {
        this.metadata = services.metadata();
        this.brokerDefaults = TopicDefaults.of(services.config());
    }

    @Override
    public CreateTopicsCodec codec() {
        return codec;
    }

    @Override
    public CompletionStage<CreateTopicsCodec.Response> handle(RequestContext context, CreateTopicsCodec.Request request) {
        Set<String> duplicates = duplicateNames(request.topics());
        Map<String, TopicResult> rejected = new HashMap<>();
        List<NewTopic> toCreate = new ArrayList<>();
        for (TopicRequest topic : request.topics()) {
            String nullConfig = firstNullConfig(topic);
            if (nullConfig != null && !duplicates.contains(topic.name())) {
                rejected.put(topic.name(), TopicResult.failed(topic.name(), ErrorCode.INVALID_CONFIG,
                        "Null value not supported for topic configs: " + nullConfig));
            } else {
                toCreate.add(toNewTopic(topic));
            }
        }
        boolean withConfigs = context.apiVersion() >= FIRST_VERSION_WITH_CONFIGS;
        return metadata.createTopics(toCreate, request.validateOnly())
                .thenApply(results -> respond(request, rejected, results, withConfigs));
    }

    private CreateTopicsCodec.Response respond(CreateTopicsCodec.Request request, Map<String, TopicResult> rejected,
                                               List<CreateTopicResult> results, boolean withConfigs) {
        Map<String, TopicResult> byName = new LinkedHashMap<>(rejected);
        for (CreateTopicResult result : results) {
            byName.putIfAbsent(result.name(), toResult(result, withConfigs));
        }
        List<TopicResult> ordered = new ArrayList<>(byName.size());
        Set<String> answered = new HashSet<>();
        for (TopicRequest topic : request.topics()) {
            if (answered.add(topic.name())) {
                ordered.add(byName.get(topic.name()));
            }
        }
        return new CreateTopicsCodec.Response(ordered);
    }

    private TopicResult toResult(CreateTopicResult result, boolean withConfigs) {
        if (result.error() != ErrorCode.NONE) {
            return TopicResult.failed(result.name(), result.error(), result.errorMessage());
        }
        return new TopicResult(result.name(), result.topicId(), ErrorCode.NONE, null, result.numPartitions(),
                result.replicationFactor(),
                withConfigs ? ConfigValues.describeTopic(result.configs(), brokerDefaults) : null);
    }

    private static NewTopic toNewTopic(TopicRequest topic) {
        Map<String, String> configs = new HashMap<>();
        topic.configs().forEach((name, value) -> {
            if (value != null) {
                configs.put(name, value);
            }
        });
        return new NewTopic(topic.name(), topic.numPartitions(), topic.replicationFactor(), topic.assignments(),
                configs);
    }

    private static String firstNullConfig(TopicRequest topic) {
        for (Map.Entry<String, String> config : topic.configs().entrySet()) {
            if (config.getValue() == null) {
                return config.getKey();
            }
        }
        return null;
    }

    private static Set<String> duplicateNames(List<TopicRequest> topics) {
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new HashSet<>();
        for (TopicRequest topic : topics) {
            if (!seen.add(topic.name())) {
                duplicates.add(topic.name());
            }
        }
        return duplicates;
    }
}
