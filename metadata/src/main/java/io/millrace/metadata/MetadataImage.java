package io.millrace.metadata;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Everything the cluster knows about itself at one Raft index: brokers, topics with their
 * partitions and config overrides, the next free producer id, and who the controller is.
 *
 * <p>Thread-safety: immutable. A new image replaces the old one through a volatile reference in
 * the state machine, so request handlers read it without locks; the {@code with*} methods
 * return copies.
 */
public final class MetadataImage {
    /** The image before anything was applied. */
    public static final MetadataImage EMPTY = new MetadataImage(null, 0, Map.of(), Map.of(), -1, 0);

    private final String clusterId;
    private final long appliedIndex;
    private final Map<String, TopicInfo> topicsByName;
    private final Map<UUID, TopicInfo> topicsById;
    private final Map<Integer, BrokerInfo> brokers;
    private final int controllerId;
    private final long nextProducerId;

    MetadataImage(String clusterId, long appliedIndex, Map<String, TopicInfo> topicsByName,
                  Map<Integer, BrokerInfo> brokers, int controllerId, long nextProducerId) {
        this.clusterId = clusterId;
        this.appliedIndex = appliedIndex;
        this.topicsByName = Collections.unmodifiableMap(new TreeMap<>(topicsByName));
        Map<UUID, TopicInfo> byId = new HashMap<>();
        topicsByName.values().forEach(t -> byId.put(t.id(), t));
        this.topicsById = Collections.unmodifiableMap(byId);
        this.brokers = Collections.unmodifiableMap(new TreeMap<>(brokers));
        this.controllerId = controllerId;
        this.nextProducerId = nextProducerId;
    }

    /**
     * An image with the given contents, for code that needs one without a quorum (tests of the
     * components that read images). Images built by the state machine come from replaying records.
     */
    public static MetadataImage of(String clusterId, long appliedIndex, java.util.Collection<TopicInfo> topics,
                                   java.util.Collection<BrokerInfo> brokers, int controllerId) {
        Map<String, TopicInfo> byName = new HashMap<>();
        topics.forEach(topic -> byName.put(topic.name(), topic));
        Map<Integer, BrokerInfo> byId = new HashMap<>();
        brokers.forEach(broker -> byId.put(broker.id(), broker));
        return new MetadataImage(clusterId, appliedIndex, byName, byId, controllerId, 0);
    }

    /** The cluster id (22 characters of base64url, like Kafka's), or null before the first node initialised it. */
    public String clusterId() {
        return clusterId;
    }

    /** The Raft log index of the last metadata command reflected in this image. */
    public long appliedIndex() {
        return appliedIndex;
    }

    /** Every topic, sorted by name. */
    public Map<String, TopicInfo> topicsByName() {
        return topicsByName;
    }

    public Optional<TopicInfo> topic(String name) {
        return Optional.ofNullable(topicsByName.get(name));
    }

    public Optional<TopicInfo> topic(UUID id) {
        return Optional.ofNullable(topicsById.get(id));
    }

    /** A request names a topic by name, or (newer versions) by id: the name either way, or null if unknown. */
    public String resolveName(String name, UUID id) {
        if (name != null) {
            return name;
        }
        return id == null ? null : topic(id).map(TopicInfo::name).orElse(null);
    }

    /** Every registered broker, sorted by id. */
    public Map<Integer, BrokerInfo> brokers() {
        return brokers;
    }

    /** The node id of the Raft leader, which is the active controller, if one is known. */
    public OptionalInt controllerId() {
        return controllerId < 0 ? OptionalInt.empty() : OptionalInt.of(controllerId);
    }

    /** The first producer id the next allocation will hand out. */
    public long nextProducerId() {
        return nextProducerId;
    }

    MetadataImage withClusterId(String newClusterId) {
        return new MetadataImage(newClusterId, appliedIndex, topicsByName, brokers, controllerId, nextProducerId);
    }

    MetadataImage withAppliedIndex(long index) {
        return new MetadataImage(clusterId, index, topicsByName, brokers, controllerId, nextProducerId);
    }

    MetadataImage withControllerId(int id) {
        return new MetadataImage(clusterId, appliedIndex, topicsByName, brokers, id, nextProducerId);
    }

    MetadataImage withNextProducerId(long next) {
        return new MetadataImage(clusterId, appliedIndex, topicsByName, brokers, controllerId, next);
    }

    MetadataImage withBroker(BrokerInfo broker) {
        Map<Integer, BrokerInfo> copy = new HashMap<>(brokers);
        copy.put(broker.id(), broker);
        return new MetadataImage(clusterId, appliedIndex, topicsByName, copy, controllerId, nextProducerId);
    }

    MetadataImage withTopic(TopicInfo topic) {
        Map<String, TopicInfo> copy = new HashMap<>(topicsByName);
        copy.put(topic.name(), topic);
        return new MetadataImage(clusterId, appliedIndex, copy, brokers, controllerId, nextProducerId);
    }

    MetadataImage withoutTopic(String name) {
        Map<String, TopicInfo> copy = new HashMap<>(topicsByName);
        copy.remove(name);
        return new MetadataImage(clusterId, appliedIndex, copy, brokers, controllerId, nextProducerId);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MetadataImage other
                && java.util.Objects.equals(clusterId, other.clusterId)
                && appliedIndex == other.appliedIndex
                && topicsByName.equals(other.topicsByName)
                && brokers.equals(other.brokers)
                && controllerId == other.controllerId
                && nextProducerId == other.nextProducerId;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(clusterId, appliedIndex, topicsByName, brokers, controllerId, nextProducerId);
    }

    @Override
    public String toString() {
        return "MetadataImage(clusterId=" + clusterId + ", appliedIndex=" + appliedIndex
                + ", topics=" + topicsByName.keySet() + ", brokers=" + brokers.keySet()
                + ", controllerId=" + controllerId + ", nextProducerId=" + nextProducerId + ")";
    }
}
