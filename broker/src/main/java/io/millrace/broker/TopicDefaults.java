package io.millrace.broker;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The broker-level defaults of topic configs, keyed by the topic config name, as Kafka derives
 * them from broker properties ({@code log.retention.ms} is the default of {@code retention.ms}).
 * DescribeConfigs reports these with source STATIC_BROKER_CONFIG.
 */
public final class TopicDefaults {

    /** Topic config name to the broker property that sets its default, in Kafka's naming. */
    private static final Map<String, String> BROKER_NAMES = brokerNames();

    private TopicDefaults() {
    }

    public static Map<String, String> of(BrokerConfig config) {
        return Map.of(
                "retention.ms", Long.toString(config.logRetentionMs()),
                "retention.bytes", Long.toString(config.logRetentionBytes()),
                "segment.bytes", Integer.toString(config.logSegmentBytes()),
                "segment.ms", Long.toString(config.logRollMs()),
                "max.message.bytes", Integer.toString(config.messageMaxBytes()),
                "min.insync.replicas", Integer.toString(config.minInsyncReplicas()));
    }

    /** The broker property that sets the default of a topic config, or null if the broker has none. */
    public static String brokerNameOf(String topicConfig) {
        return BROKER_NAMES.get(topicConfig);
    }

    private static Map<String, String> brokerNames() {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("retention.ms", "log.retention.ms");
        names.put("retention.bytes", "log.retention.bytes");
        names.put("segment.bytes", "log.segment.bytes");
        names.put("segment.ms", "log.roll.ms");
        names.put("max.message.bytes", "message.max.bytes");
        names.put("min.insync.replicas", "min.insync.replicas");
        return Map.copyOf(names);
    }
}
