package io.millrace.server;

import io.millrace.broker.BrokerConfig;
import io.millrace.broker.group.GroupConfig;
import io.millrace.server.config.ConfigDef;
import io.millrace.server.config.ListenerAddress;
import io.millrace.server.config.ServerConfig;
import io.millrace.storage.FlushPolicy;
import java.util.List;
import java.util.Locale;

/** Builds the broker's one typed configuration from the parsed properties. */
public final class BrokerConfigs {

    private BrokerConfigs() {
    }

    /**
     * @throws IllegalArgumentException if {@link BrokerConfig}'s own validation rejects the result
     */
    public static BrokerConfig from(ServerConfig config) {
        return new BrokerConfig(
                config.get(ConfigDef.NODE_ID),
                endpoints(config.get(ConfigDef.LISTENERS)),
                endpoints(config.advertisedListeners()),
                config.get(ConfigDef.CONTROLLER_QUORUM_VOTERS),
                config.get(ConfigDef.HTTP_LISTENER),
                config.get(ConfigDef.LOG_DIRS),
                config.get(ConfigDef.NUM_PARTITIONS),
                config.get(ConfigDef.DEFAULT_REPLICATION_FACTOR),
                config.get(ConfigDef.AUTO_CREATE_TOPICS_ENABLE),
                config.get(ConfigDef.LOG_SEGMENT_BYTES),
                config.logRollMs(),
                config.logRetentionMs(),
                config.get(ConfigDef.LOG_RETENTION_BYTES),
                config.get(ConfigDef.MESSAGE_MAX_BYTES),
                FlushPolicy.valueOf(config.get(ConfigDef.LOG_FLUSH_POLICY).toUpperCase(Locale.ROOT)),
                config.get(ConfigDef.LOG_FLUSH_INTERVAL_MS),
                config.get(ConfigDef.LOG_PAGE_CACHE_RETAIN_BYTES),
                config.get(ConfigDef.MIN_INSYNC_REPLICAS),
                config.get(ConfigDef.SOCKET_REQUEST_MAX_BYTES),
                groupConfig(config));
    }

    private static GroupConfig groupConfig(ServerConfig config) {
        return new GroupConfig(
                config.get(ConfigDef.OFFSETS_TOPIC_NUM_PARTITIONS),
                config.get(ConfigDef.OFFSETS_TOPIC_REPLICATION_FACTOR),
                config.get(ConfigDef.OFFSETS_TOPIC_SEGMENT_BYTES),
                config.get(ConfigDef.GROUP_INITIAL_REBALANCE_DELAY_MS),
                config.get(ConfigDef.GROUP_MIN_SESSION_TIMEOUT_MS),
                config.get(ConfigDef.GROUP_MAX_SESSION_TIMEOUT_MS),
                config.get(ConfigDef.GROUP_MAX_SIZE),
                config.get(ConfigDef.OFFSETS_RETENTION_MINUTES) * 60_000L,
                config.get(ConfigDef.OFFSETS_RETENTION_CHECK_INTERVAL_MS),
                config.get(ConfigDef.OFFSET_METADATA_MAX_BYTES),
                config.get(ConfigDef.OFFSETS_COMMIT_TIMEOUT_MS));
    }

    private static List<BrokerConfig.Endpoint> endpoints(List<ListenerAddress> listeners) {
        return listeners.stream()
                .map(listener -> new BrokerConfig.Endpoint(listener.name(), listener.host(), listener.port()))
                .toList();
    }
}
