package io.millrace.metadata;

import java.util.List;
import java.util.Objects;

/**
 * A CreatePartitions request for one topic.
 *
 * @param newTotalCount the partition count after the increase
 * @param assignments replicas of each new partition, or {@code null} to let the controller place them
 */
public record PartitionIncrease(String topic, int newTotalCount, List<List<Integer>> assignments) {
    public PartitionIncrease {
        Objects.requireNonNull(topic, "topic");
        assignments = assignments == null ? null : assignments.stream().map(List::copyOf).toList();
    }
}
