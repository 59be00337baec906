package io.millrace.metadata;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * A change to the metadata, as written to the Raft log. Every command carries a
 * {@link #commandId()} chosen by its proposer, so the state machine answers a retried command
 * with the first answer instead of applying it twice. Every random choice (topic ids, where
 * placement starts) is made by the proposer and carried in the command, so applying it is
 * deterministic on every node. New commands (broker fencing, leader election, ISR changes for
 * the active controller) are added as further records here and in {@link MetadataCodec}.
 *
 * <p>Thread-safety: the records are immutable.
 */
sealed interface MetadataCommand {
    UUID commandId();

    /** Sets the cluster id unless one is set already; also serves as the readiness barrier. */
    record InitializeCluster(UUID commandId, String clusterId) implements MetadataCommand {
        public InitializeCluster {
            Objects.requireNonNull(commandId, "commandId");
            Objects.requireNonNull(clusterId, "clusterId");
        }
    }

    /** Registers a broker or replaces its registration. */
    record RegisterBroker(UUID commandId, BrokerInfo broker) implements MetadataCommand {
        public RegisterBroker {
            Objects.requireNonNull(commandId, "commandId");
            Objects.requireNonNull(broker, "broker");
        }
    }

    /** Creates topics; each is created or fails on its own. */
    record CreateTopics(UUID commandId, List<TopicCreation> topics) implements MetadataCommand {
        public CreateTopics {
            Objects.requireNonNull(commandId, "commandId");
            topics = List.copyOf(topics);
        }
    }

    /**
     * One topic of {@link CreateTopics}, with defaults already resolved by the proposer (counts
     * stay -1 only alongside manual assignments).
     *
     * @param placementStart where round-robin placement starts, chosen at random by the proposer
     * @param placementShift how far the followers of each partition are shifted, chosen likewise
     */
    record TopicCreation(String name, UUID topicId, int numPartitions, short replicationFactor,
                         Map<Integer, List<Integer>> assignments, Map<String, String> configs,
                         int placementStart, int placementShift) {
        public TopicCreation {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(topicId, "topicId");
            assignments = Map.copyOf(assignments);
            configs = Map.copyOf(configs);
        }
    }

    /** Deletes topics by name, or by id; one of the two lists is empty. */
    record DeleteTopics(UUID commandId, List<String> names, List<UUID> ids) implements MetadataCommand {
        public DeleteTopics {
            Objects.requireNonNull(commandId, "commandId");
            names = List.copyOf(names);
            ids = List.copyOf(ids);
        }
    }

    /** Adds partitions to topics; placement choices as in {@link TopicCreation}. */
    record CreatePartitions(UUID commandId, List<PartitionIncrease> increases, int placementStart,
                            int placementShift)
            implements MetadataCommand {
        public CreatePartitions {
            Objects.requireNonNull(commandId, "commandId");
            increases = List.copyOf(increases);
        }
    }

    /** Changes one topic's config overrides; with {@code replaceAll} the overrides become {@code set}. */
    record AlterTopicConfigs(UUID commandId, String topic, Map<String, String> set, Set<String> delete,
                             boolean replaceAll) implements MetadataCommand {
        public AlterTopicConfigs {
            Objects.requireNonNull(commandId, "commandId");
            Objects.requireNonNull(topic, "topic");
            set = Map.copyOf(set);
            delete = Set.copyOf(delete);
        }
    }

    /** Hands the next block of producer ids to a broker. */
    record AllocateProducerIds(UUID commandId, int brokerId) implements MetadataCommand {
        public AllocateProducerIds {
            Objects.requireNonNull(commandId, "commandId");
        }
    }
}
