package io.millrace.broker.handler.admin;

import io.millrace.broker.BrokerConfig;
import io.millrace.protocol.codec.ConfigValue;
import io.millrace.protocol.codec.ConfigValue.Source;
import io.millrace.protocol.codec.ConfigValue.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The broker's effective settings as DescribeConfigs reports them for a BROKER resource, under
 * Kafka's property names. All come from the static configuration the broker started with; Millrace
 * has no dynamic broker configs, so each is reported read-only.
 */
final class BrokerConfigEntries {

    private BrokerConfigEntries() {
    }

    static List<ConfigValue> of(BrokerConfig config, boolean includeSynonyms, boolean includeDocumentation) {
        List<ConfigValue> entries = new ArrayList<>();
        Adder add = (name, value, type, doc) -> entries.add(new ConfigValue(name, value, Source.STATIC_BROKER_CONFIG,
                true, false, type, includeDocumentation ? doc : null,
                includeSynonyms ? List.of(new ConfigValue.Synonym(name, value, Source.STATIC_BROKER_CONFIG))
                        : List.of()));
        add.add("node.id", Integer.toString(config.nodeId()), Type.INT, "This node's id.");
        add.add("broker.id", Integer.toString(config.nodeId()), Type.INT, "This broker's id (the node id).");
        add.add("listeners", joined(config.listeners()), Type.LIST, "Where the Kafka protocol is served.");
        add.add("advertised.listeners", joined(config.advertisedListeners()), Type.LIST,
                "The listeners Metadata responses name to clients.");
        add.add("log.dirs", config.logDir().toAbsolutePath().toString(), Type.LIST, "The log directory.");
        add.add("num.partitions", Integer.toString(config.numPartitions()), Type.INT,
                "The default number of partitions of a new topic.");
        add.add("default.replication.factor", Short.toString(config.defaultReplicationFactor()), Type.INT,
                "The default replication factor of a new topic.");
        add.add("auto.create.topics.enable", Boolean.toString(config.autoCreateTopicsEnable()), Type.BOOLEAN,
                "Whether Metadata requests for unknown topics create them.");
        add.add("log.segment.bytes", Integer.toString(config.logSegmentBytes()), Type.INT,
                "The default of the topic config segment.bytes.");
        add.add("log.roll.ms", Long.toString(config.logRollMs()), Type.LONG,
                "The default of the topic config segment.ms.");
        add.add("log.retention.ms", Long.toString(config.logRetentionMs()), Type.LONG,
                "The default of the topic config retention.ms.");
        add.add("log.retention.bytes", Long.toString(config.logRetentionBytes()), Type.LONG,
                "The default of the topic config retention.bytes.");
        add.add("message.max.bytes", Integer.toString(config.messageMaxBytes()), Type.INT,
                "The default of the topic config max.message.bytes.");
        add.add("min.insync.replicas", Integer.toString(config.minInsyncReplicas()), Type.INT,
                "The default of the topic config min.insync.replicas.");
        add.add("socket.request.max.bytes", Integer.toString(config.socketRequestMaxBytes()), Type.INT,
                "The largest request frame the broker accepts.");
        return entries;
    }

    private static String joined(List<BrokerConfig.Endpoint> endpoints) {
        return endpoints.stream().map(BrokerConfig.Endpoint::toString).collect(Collectors.joining(","));
    }

    @FunctionalInterface
    private interface Adder {
        void add(String name, String value, Type type, String documentation);
    }
}
