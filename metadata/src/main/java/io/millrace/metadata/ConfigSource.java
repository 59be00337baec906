package io.millrace.metadata;

/** Where a topic config's effective value comes from, named as in Kafka's DescribeConfigs. */
public enum ConfigSource {
    DYNAMIC_TOPIC_CONFIG,
    STATIC_BROKER_CONFIG,
    DEFAULT_CONFIG
}
