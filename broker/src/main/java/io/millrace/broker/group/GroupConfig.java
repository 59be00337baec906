package io.millrace.broker.group;

/**
 * Settings of the group coordinator, under Kafka's broker property names.
 *
 * @param offsetsTopicNumPartitions     {@code offsets.topic.num.partitions}
 * @param offsetsTopicReplicationFactor {@code offsets.topic.replication.factor} (capped at the live brokers)
 * @param offsetsTopicSegmentBytes      {@code offsets.topic.segment.bytes}
 * @param initialRebalanceDelayMs       {@code group.initial.rebalance.delay.ms}
 * @param minSessionTimeoutMs           {@code group.min.session.timeout.ms}
 * @param maxSessionTimeoutMs           {@code group.max.session.timeout.ms}
 * @param maxSize                       {@code group.max.size}
 * @param offsetsRetentionMs            {@code offsets.retention.minutes}, in milliseconds
 * @param offsetsRetentionCheckIntervalMs {@code offsets.retention.check.interval.ms}
 * @param offsetMetadataMaxBytes        {@code offset.metadata.max.bytes}
 * @param offsetCommitTimeoutMs         {@code offsets.commit.timeout.ms}: how long a write to the
 *                                      offsets topic may wait for its replicas
 */
public record GroupConfig(
        int offsetsTopicNumPartitions,
        short offsetsTopicReplicationFactor,
        int offsetsTopicSegmentBytes,
        int initialRebalanceDelayMs,
        int minSessionTimeoutMs,
        int maxSessionTimeoutMs,
        int maxSize,
        long offsetsRetentionMs,
        long offsetsRetentionCheckIntervalMs,
        int offsetMetadataMaxBytes,
        int offsetCommitTimeoutMs) {

    /** The name of the internal topic holding committed offsets and group metadata. */
    public static final String OFFSETS_TOPIC = "__consumer_offsets";

    public GroupConfig {
        if (offsetsTopicNumPartitions < 1 || offsetsTopicReplicationFactor < 1) {
            throw new IllegalArgumentException("offsets.topic.num.partitions and offsets.topic.replication.factor must be >= 1");
        }
        if (minSessionTimeoutMs < 0 || maxSessionTimeoutMs < minSessionTimeoutMs) {
            throw new IllegalArgumentException("group.min.session.timeout.ms " + minSessionTimeoutMs
                    + " must be >= 0 and <= group.max.session.timeout.ms " + maxSessionTimeoutMs);
        }
        if (initialRebalanceDelayMs < 0 || maxSize < 1 || offsetsRetentionMs < 1
                || offsetsRetentionCheckIntervalMs < 1 || offsetMetadataMaxBytes < 0 || offsetCommitTimeoutMs < 1) {
            throw new IllegalArgumentException("group and offsets settings out of range: " + this);
        }
    }

    /** Kafka's defaults. */
    public static GroupConfig defaults() {
        return new GroupConfig(50, (short) 3, 100 * 1024 * 1024, 3000, 6000, 1_800_000, Integer.MAX_VALUE,
                7L * 24 * 60 * 60 * 1000, 600_000, 4096, 5000);
    }

    public GroupConfig withInitialRebalanceDelayMs(int delayMs) {
        return new GroupConfig(offsetsTopicNumPartitions, offsetsTopicReplicationFactor, offsetsTopicSegmentBytes,
                delayMs, minSessionTimeoutMs, maxSessionTimeoutMs, maxSize, offsetsRetentionMs,
                offsetsRetentionCheckIntervalMs, offsetMetadataMaxBytes, offsetCommitTimeoutMs);
    }

    /** The offsets-topic partition whose leader coordinates {@code groupId}, as Kafka computes it. */
    public int partitionFor(String groupId) {
        return (groupId.hashCode() & 0x7fffffff) % offsetsTopicNumPartitions;
    }
}
