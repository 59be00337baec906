package io.millrace.broker.handler.admin;

import io.millrace.broker.BrokerConfig;
import io.millrace.broker.BrokerServices;
import io.millrace.broker.TopicDefaults;
import io.millrace.broker.network.ApiHandler;
import io.millrace.broker.network.RequestContext;
import io.millrace.metadata.MetadataService;
import io.millrace.metadata.TopicConfigs;
import io.millrace.metadata.TopicInfo;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.codec.ConfigResourceType;
import io.millrace.protocol.codec.ConfigValue;
import io.millrace.protocol.codec.DescribeConfigsCodec;
import io.millrace.protocol.codec.DescribeConfigsCodec.Resource;
import io.millrace.protocol.codec.DescribeConfigsCodec.ResourceResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * DescribeConfigs for TOPIC and BROKER resources, answered from the metadata image and the
 * broker's static configuration. As in Kafka, a null or empty list of names means every config,
 * a BROKER resource must name this broker (or be empty, for the cluster-wide dynamic defaults,
 * which Millrace does not have), and any other resource type fails with INVALID_REQUEST.
 */
public final class DescribeConfigsHandler
        implements ApiHandler<DescribeConfigsCodec.Request, DescribeConfigsCodec.Response> {

    private final DescribeConfigsCodec codec = new DescribeConfigsCodec();
    private final BrokerConfig config;
    private final MetadataService metadata;
    private final Map<String, String> brokerDefaults;

    public DescribeConfigsHandler(BrokerServices services) {
        this.config = services.config();
        this.metadata = services.metadata();
        this.brokerDefaults = TopicDefaults.of(services.config());
    }

    @Override
    public DescribeConfigsCodec codec() {
        return codec;
    }

    @Override
    public CompletionStage<DescribeConfigsCodec.Response> handle(RequestContext context,
                                                                 DescribeConfigsCodec.Request request) {
        List<ResourceResult> results = new ArrayList<>(request.resources().size());
        for (Resource resource : request.resources()) {
            results.add(describe(resource, request.includeSynonyms(), request.includeDocumentation()));
        }
        return CompletableFuture.completedFuture(new DescribeConfigsCodec.Response(results));
    }

    private ResourceResult describe(Resource resource, boolean synonyms, boolean documentation) {
        ConfigResourceType type = ConfigResourceType.of(resource.resourceType());
        return switch (type) {
            case TOPIC -> describeTopic(resource, synonyms, documentation);
            case BROKER -> describeBroker(resource, synonyms, documentation);
            default -> ResourceResult.failed(resource, ErrorCode.INVALID_REQUEST,
                    "Unsupported resource type: " + type);
        };
    }

    private ResourceResult describeTopic(Resource resource, boolean synonyms, boolean documentation) {
        Optional<TopicInfo> topic = metadata.image().topic(resource.resourceName());
        if (topic.isEmpty()) {
            return ResourceResult.failed(resource, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
                    "The topic '" + resource.resourceName() + "' does not exist.");
        }
        Map<String, String> overrides = topic.get().configs();
        List<ConfigValue> configs = TopicConfigs.describe(overrides, brokerDefaults).stream()
                .filter(entry -> isRequested(resource, entry.name()))
                .map(entry -> ConfigValues.of(entry, overrides, brokerDefaults, synonyms, documentation))
                .toList();
        return new ResourceResult(ErrorCode.NONE, null, resource.resourceType(), resource.resourceName(), configs);
    }

    private ResourceResult describeBroker(Resource resource, boolean synonyms, boolean documentation) {
        String name = resource.resourceName();
        if (name == null || name.isEmpty()) {
            return new ResourceResult(ErrorCode.NONE, null, resource.resourceType(), name, List.of());
        }
        int brokerId;
        try {
            brokerId = Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return ResourceResult.failed(resource, ErrorCode.INVALID_REQUEST,
                    "Broker id must be an integer, but it is: " + name);
        }
        if (brokerId != config.nodeId()) {
            return ResourceResult.failed(resource, ErrorCode.INVALID_REQUEST, "Unexpected broker id, expected "
                    + config.nodeId() + " or empty string, but received " + name);
        }
        List<ConfigValue> configs = BrokerConfigEntries.of(config, synonyms, documentation).stream()
                .filter(entry -> isRequested(resource, entry.name()))
                .toList();
        return new ResourceResult(ErrorCode.NONE, null, resource.resourceType(), name, configs);
    }

    private static boolean isRequested(Resource resource, String configName) {
        return resource.configNames() == null || resource.configNames().isEmpty()
                || resource.configNames().contains(configName);
    }
}
