package io.millrace.metadata;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link MetadataService} needs to start. Immutable.
 *
 * @param nodeId this node's id; must be one of {@code voters}
 * @param voters every Raft voter's id and Raft (gRPC) address
 * @param dir where Raft log and snapshots live
 * @param defaultNumPartitions used when a create asks for -1 partitions
 * @param defaultReplicationFactor used when a create asks for replication factor -1
 * @param topicConfigDefaults broker-level defaults for topic configs, keyed by topic config name
 */
public record MetadataConfig(int nodeId, Map<Integer, InetSocketAddress> voters, Path dir,
                             int defaultNumPartitions, short defaultReplicationFactor,
                             Map<String, String> topicConfigDefaults) {
    public MetadataConfig {
        voters = Map.copyOf(voters);
        Objects.requireNonNull(dir, "dir");
        topicConfigDefaults = Map.copyOf(topicConfigDefaults);
        if (!voters.containsKey(nodeId)) {
            throw new IllegalArgumentException("node " + nodeId + " is not among the voters " + voters.keySet());
        }
        if (defaultNumPartitions <= 0) {
            throw new IllegalArgumentException("defaultNumPartitions must be > 0, got " + defaultNumPartitions);
        }
        if (defaultReplicationFactor <= 0) {
            throw new IllegalArgumentException("defaultReplicationFactor must be > 0, got "
                    + defaultReplicationFactor);
        }
    }
}
