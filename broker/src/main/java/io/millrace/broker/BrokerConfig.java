package io.millrace.broker;

import io.millrace.broker.group.GroupConfig;
import io.millrace.storage.FlushPolicy;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Every setting the broker runs with, typed and validated. The server module builds it from
 * Kafka-style properties ({@code node.id}, {@code listeners}, ...); nothing below the server reads
 * properties. Names carry their unit.
 *
 * @param nodeId                   {@code node.id}
 * @param listeners                {@code listeners}: where the Kafka protocol is served
 * @param advertisedListeners      {@code advertised.listeners}: what Metadata tells clients
 * @param controllerQuorumVoters   {@code controller.quorum.voters}: node id to Raft address
 * @param httpListener             {@code http.listener}
 * @param logDir                   {@code log.dirs} (one directory)
 * @param numPartitions            {@code num.partitions}
 * @param defaultReplicationFactor {@code default.replication.factor}
 * @param autoCreateTopicsEnable   {@code auto.create.topics.enable}
 * @param logSegmentBytes          {@code log.segment.bytes}
 * @param logRollMs                {@code log.roll.ms}
 * @param logRetentionMs           {@code log.retention.ms} (-1: forever)
 * @param logRetentionBytes        {@code log.retention.bytes} (-1: unlimited)
 * @param messageMaxBytes          {@code message.max.bytes}
 * @param flushPolicy              {@code log.flush.policy}
 * @param flushIntervalMs          {@code log.flush.interval.ms} (relaxed policy)
 * @param pageCacheRetainBytes     {@code log.page.cache.retain.bytes} (-1: no limit)
 * @param minInsyncReplicas        {@code min.insync.replicas}
 * @param socketRequestMaxBytes    {@code socket.request.max.bytes}: largest frame accepted
 * @param groups                   the group coordinator's settings ({@code offsets.*}, {@code group.*})
 */
public record BrokerConfig(
        int nodeId,
        List<Endpoint> listeners,
        List<Endpoint> advertisedListeners,
        Map<Integer, InetSocketAddress> controllerQuorumVoters,
        InetSocketAddress httpListener,
        Path logDir,
        int numPartitions,
        short defaultReplicationFactor,
        boolean autoCreateTopicsEnable,
        int logSegmentBytes,
        long logRollMs,
        long logRetentionMs,
        long logRetentionBytes,
        int messageMaxBytes,
        FlushPolicy flushPolicy,
        long flushIntervalMs,
        long pageCacheRetainBytes,
        int minInsyncReplicas,
        int socketRequestMaxBytes,
        GroupConfig groups) {

    /** A named listener address, as in {@code PLAINTEXT://localhost:9092}. */
    public record Endpoint(String name, String host, int port) {
        @Override
        public String toString() {
            return name + "://" + host + ":" + port;
        }
    }

    public BrokerConfig {
        listeners = List.copyOf(listeners);
        advertisedListeners = List.copyOf(advertisedListeners);
        controllerQuorumVoters = Map.copyOf(controllerQuorumVoters);
        if (listeners.isEmpty()) {
            throw new IllegalArgumentException("listeners must name at least one endpoint");
        }
        if (!controllerQuorumVoters.containsKey(nodeId)) {
            throw new IllegalArgumentException("controller.quorum.voters " + controllerQuorumVoters
                    + " must include node.id " + nodeId);
        }
    }
}
