package io.millrace.metadata;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A topic to create, as CreateTopics asks for it.
 *
 * @param name the topic name
 * @param numPartitions the partition count, or -1 for the default (must be -1 with assignments)
 * @param replicationFactor the replication factor, or -1 for the default (must be -1 with assignments)
 * @param assignments partition id to replicas; empty lets the controller place replicas
 * @param configs topic-level config overrides
 */
public record NewTopic(String name, int numPartitions, short replicationFactor,
                       Map<Integer, List<Integer>> assignments, Map<String, String> configs) {
    public NewTopic {
        Objects.requireNonNull(name, "name");
        assignments = Map.copyOf(assignments);
        assignments.values().forEach(Objects::requireNonNull);
        configs = Map.copyOf(configs);
    }

    /** A topic with the default partition count and replication factor and no overrides. */
    public static NewTopic withDefaults(String name) {
        return new NewTopic(name, -1, (short) -1, Map.of(), Map.of());
    }
}
