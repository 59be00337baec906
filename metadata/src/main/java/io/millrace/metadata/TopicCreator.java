package io.millrace.metadata;

import io.millrace.metadata.MetadataCommand.CreatePartitions;
import io.millrace.metadata.MetadataCommand.CreateTopics;
import io.millrace.metadata.MetadataCommand.TopicCreation;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.MillraceException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Applies CreateTopics and CreatePartitions to an image, with the checks and error messages of
 * Kafka's KRaft controller (ReplicationControlManager). Each topic succeeds or fails on its own;
 * failures become results, never exceptions out of this class. New partitions get leader = first
 * replica, ISR = the unfenced replicas, leader epoch 0 and partition epoch 0, so a topic has
 * leaders the moment it appears (DESIGN decision 6).
 *
 * <p>Thread-safety: stateless; images are immutable.
 */
final class TopicCreator {
    /** The most partitions one topic may gain in a single command, bounding one log entry's work. */
    static final int MAX_PARTITIONS_PER_COMMAND = 10_000;

    private TopicCreator() {
    }

    static MetadataApplier.Outcome createTopics(MetadataImage image, CreateTopics command) {
        Set<String> duplicates = duplicates(command.topics().stream().map(TopicCreation::name).toList());
        List<CreateTopicResult> results = new ArrayList<>();
        MetadataImage current = image;
        for (TopicCreation topic : command.topics()) {
            if (duplicates.contains(topic.name())) {
                results.add(CreateTopicResult.failed(topic.name(), ErrorCode.INVALID_REQUEST, "Duplicate topic name."));
                continue;
            }
            try {
                TopicInfo created = createTopic(current, topic);
                current = current.withTopic(created);
                results.add(new CreateTopicResult(created.name(), ErrorCode.NONE, null, created.id(),
                        created.partitions().size(), (short) created.partitions().get(0).replicas().size(),
                        created.configs()));
            } catch (MillraceException e) {
                results.add(CreateTopicResult.failed(topic.name(), e.code(), e.getMessage()));
            }
        }
        return new MetadataApplier.Outcome(current, new CommandReply.Created(results));
    }

    private static TopicInfo createTopic(MetadataImage image, TopicCreation topic) {
        Optional<String> invalid = TopicNames.invalidReason(topic.name());
        if (invalid.isPresent()) {
            throw new MillraceException(ErrorCode.INVALID_TOPIC_EXCEPTION, invalid.get());
        }
        if (image.topic(topic.name()).isPresent()) {
            throw new MillraceException(ErrorCode.TOPIC_ALREADY_EXISTS,
                    "Topic '" + topic.name() + "' already exists.");
        }
        if (image.topic(topic.topicId()).isPresent()) {
            throw new MillraceException(ErrorCode.INVALID_REQUEST, "Topic id " + topic.topicId() + " is in use.");
        }
        TopicConfigs.validate(topic.configs());
        List<List<Integer>> placements = topic.assignments().isEmpty()
                ? placeAutomatically(image, topic)
                : validateManualAssignments(image, topic);
        Optional<String> collision = TopicNames.collidingTopic(image, topic.name());
        if (collision.isPresent()) {
            throw new MillraceException(ErrorCode.INVALID_TOPIC_EXCEPTION,
                    "Topic '" + topic.name() + "' collides with existing topic: " + collision.get());
        }
        List<PartitionInfo> partitions = new ArrayList<>(placements.size());
        for (List<Integer> replicas : placements) {
            partitions.add(newPartition(image, partitions.size(), replicas));
        }
        return new TopicInfo(topic.name(), topic.topicId(), partitions, topic.configs());
    }

    private static List<List<Integer>> placeAutomatically(MetadataImage image, TopicCreation topic) {
        if (topic.numPartitions() <= 0) {
            throw new MillraceException(ErrorCode.INVALID_PARTITIONS,
                    "Number of partitions was set to an invalid non-positive value.");
        }
        if (topic.numPartitions() > MAX_PARTITIONS_PER_COMMAND) {
            throw tooManyPartitions(topic.numPartitions());
        }
        if (topic.replicationFactor() <= 0) {
            throw new MillraceException(ErrorCode.INVALID_REPLICATION_FACTOR,
                    "Replication factor must be larger than 0, or -1 to use the default value.");
        }
        return ReplicaPlacer.place(unfencedBrokers(image), 0, topic.numPartitions(), topic.replicationFactor(),
                topic.placementStart(), topic.placementShift());
    }

    private static List<List<Integer>> validateManualAssignments(MetadataImage image, TopicCreation topic) {
        if (topic.numPartitions() != -1) {
            throw new MillraceException(ErrorCode.INVALID_REQUEST,
                    "A manual partition assignment was specified, but numPartitions was not set to -1.");
        }
        if (topic.replicationFactor() != -1) {
            throw new MillraceException(ErrorCode.INVALID_REQUEST,
                    "A manual partition assignment was specified, but replication factor was not set to -1.");
        }
        if (topic.assignments().size() > MAX_PARTITIONS_PER_COMMAND) {
            throw tooManyPartitions(topic.assignments().size());
        }
        TreeMap<Integer, List<Integer>> sorted = new TreeMap<>(topic.assignments());
        if (sorted.firstKey() != 0 || sorted.lastKey() != sorted.size() - 1) {
            throw new MillraceException(ErrorCode.INVALID_REPLICA_ASSIGNMENT,
                    "partitions should be a consecutive 0-based integer sequence");
        }
        List<List<Integer>> placements = new ArrayList<>(sorted.size());
        Integer replicationFactor = null;
        for (Map.Entry<Integer, List<Integer>> e : sorted.entrySet()) {
            validateManualAssignment(image, e.getKey(), e.getValue(), replicationFactor);
            replicationFactor = e.getValue().size();
            placements.add(List.copyOf(e.getValue()));
        }
        return placements;
    }

    /** Kafka's checks on one manually assigned partition; {@code replicationFactor} null for the first. */
    static void validateManualAssignment(MetadataImage image, int partition, List<Integer> replicas,
                                         Integer replicationFactor) {
        if (replicas.isEmpty()) {
            throw new MillraceException(ErrorCode.INVALID_REPLICA_ASSIGNMENT,
                    "The manual partition assignment includes an empty replica list.");
        }
        List<Integer> sorted = new ArrayList<>(replicas);
        sorted.sort(Integer::compare);
        Integer previous = null;
        for (Integer broker : sorted) {
            if (!image.brokers().containsKey(broker)) {
                throw new MillraceException(ErrorCode.INVALID_REPLICA_ASSIGNMENT, "The manual partition assignment"
                        + " includes broker " + broker + ", but no such broker is registered.");
            }
            if (broker.equals(previous)) {
                throw new MillraceException(ErrorCode.INVALID_REPLICA_ASSIGNMENT, "The manual partition assignment"
                        + " includes the broker " + broker + " more than once.");
            }
            previous = broker;
        }
        if (replicationFactor != null && replicas.size() != replicationFactor) {
            throw new MillraceException(ErrorCode.INVALID_REPLICA_ASSIGNMENT, "The manual partition assignment"
                    + " includes a partition with " + replicas.size() + " replica(s), but this is not consistent"
                    + " with previous partitions, which have " + replicationFactor + " replica(s).");
        }
        if (replicas.stream().allMatch(b -> image.brokers().get(b).fenced())) {
            throw new MillraceException(ErrorCode.INVALID_REPLICA_ASSIGNMENT, "All brokers specified in the manual"
                    + " partition assignment for partition " + partition + " are fenced or in controlled shutdown.");
        }
    }

    static MetadataApplier.Outcome createPartitions(MetadataImage image, CreatePartitions command) {
        Set<String> duplicates = duplicates(command.increases().stream().map(PartitionIncrease::topic).toList());
        List<TopicResult> results = new ArrayList<>();
        MetadataImage current = image;
        for (PartitionIncrease increase : command.increases()) {
            TopicInfo topic = current.topic(increase.topic()).orElse(null);
            if (duplicates.contains(increase.topic())) {
                results.add(new TopicResult(increase.topic(), null, ErrorCode.INVALID_REQUEST, "Duplicate topic name."));
                continue;
            }
            if (topic == null) {
                results.add(new TopicResult(increase.topic(), null, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, null));
                continue;
            }
            try {
                TopicInfo grown = addPartitions(current, topic, increase, command);
                current = current.withTopic(grown);
                results.add(new TopicResult(topic.name(), topic.id(), ErrorCode.NONE, null));
            } catch (MillraceException e) {
                results.add(new TopicResult(topic.name(), topic.id(), e.code(), e.getMessage()));
            }
        }
        return new MetadataApplier.Outcome(current, new CommandReply.Topics(results));
    }

    private static TopicInfo addPartitions(MetadataImage image, TopicInfo topic, PartitionIncrease increase,
                                           CreatePartitions command) {
        int existing = topic.partitions().size();
        if (increase.newTotalCount() == existing) {
            throw new MillraceException(ErrorCode.INVALID_PARTITIONS,
                    "Topic already has " + existing + " partition(s).");
        }
        if (increase.newTotalCount() < existing) {
            throw new MillraceException(ErrorCode.INVALID_PARTITIONS, "The topic " + topic.name() + " currently has "
                    + existing + " partition(s); " + increase.newTotalCount() + " would not be an increase.");
        }
        int additional = increase.newTotalCount() - existing;
        if (additional > MAX_PARTITIONS_PER_COMMAND) {
            throw tooManyPartitions(additional);
        }
        int replicationFactor = topic.partitions().get(0).replicas().size();
        List<List<Integer>> placements;
        if (increase.assignments() != null) {
            if (increase.assignments().size() != additional) {
                throw new MillraceException(ErrorCode.INVALID_REPLICA_ASSIGNMENT, "Attempted to add " + additional
                        + " additional partition(s), but only " + increase.assignments().size()
                        + " assignment(s) were specified.");
            }
            for (int i = 0; i < additional; i++) {
                validateManualAssignment(image, existing + i, increase.assignments().get(i), replicationFactor);
            }
            placements = increase.assignments();
        } else {
            placements = ReplicaPlacer.place(unfencedBrokers(image), existing, additional, replicationFactor,
                    command.placementStart(), command.placementShift());
        }
        List<PartitionInfo> partitions = new ArrayList<>(topic.partitions());
        for (List<Integer> replicas : placements) {
            partitions.add(newPartition(image, partitions.size(), replicas));
        }
        return topic.withPartitions(partitions);
    }

    private static PartitionInfo newPartition(MetadataImage image, int partition, List<Integer> replicas) {
        List<Integer> isr = replicas.stream().filter(b -> !image.brokers().get(b).fenced()).toList();
        return new PartitionInfo(partition, replicas, isr, isr.get(0), 0, 0);
    }

    static List<Integer> unfencedBrokers(MetadataImage image) {
        return image.brokers().values().stream().filter(b -> !b.fenced()).map(BrokerInfo::id).sorted().toList();
    }

    private static MillraceException tooManyPartitions(int count) {
        return new MillraceException(ErrorCode.POLICY_VIOLATION, "Unable to create " + count
                + " partitions in one request; the limit is " + MAX_PARTITIONS_PER_COMMAND + ".");
    }

    private static Set<String> duplicates(List<String> names) {
        Set<String> seen = new HashSet<>();
        Set<String> dups = new HashSet<>();
        names.forEach(n -> {
            if (!seen.add(n)) {
                dups.add(n);
            }
        });
        return dups;
    }
}
