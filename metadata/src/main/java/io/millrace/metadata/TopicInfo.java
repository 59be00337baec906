package io.millrace.metadata;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A topic in the metadata image. Immutable, so safe to share between threads.
 *
 * @param name the topic name
 * @param id the topic id, new each time a topic of this name is created
 * @param partitions the partitions; the list index is the partition id
 * @param configs only the topic-level overrides that were explicitly set
 */
public record TopicInfo(String name, UUID id, List<PartitionInfo> partitions, Map<String, String> configs) {
    public TopicInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(id, "id");
        partitions = List.copyOf(partitions);
        configs = Map.copyOf(configs);
        for (int i = 0; i < partitions.size(); i++) {
            if (partitions.get(i).partition() != i) {
                throw new IllegalArgumentException("partition at index " + i + " of " + name
                        + " has id " + partitions.get(i).partition());
            }
        }
    }

    /** Whether this is an internal topic (its name starts with "__", as Kafka's do). */
    public boolean isInternal() {
        return name.startsWith("__");
    }

    TopicInfo withPartitions(List<PartitionInfo> newPartitions) {
        return new TopicInfo(name, id, newPartitions, configs);
    }

    TopicInfo withConfigs(Map<String, String> newConfigs) {
        return new TopicInfo(name, id, partitions, newConfigs);
    }
}
