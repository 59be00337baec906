package io.millrace.protocol;

import java.util.Optional;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The Kafka APIs Millrace knows by name. Whether an API is actually served is decided by the
 * broker's handler registry, not by this list. Version ranges come from the pinned
 * kafka-clients release, so they are exactly what Kafka 4.3.1 accepts.
 */
public enum ApiKey {
    PRODUCE(ApiKeys.PRODUCE),
    FETCH(ApiKeys.FETCH),
    LIST_OFFSETS(ApiKeys.LIST_OFFSETS),
    METADATA(ApiKeys.METADATA),
    OFFSET_COMMIT(ApiKeys.OFFSET_COMMIT),
    OFFSET_FETCH(ApiKeys.OFFSET_FETCH),
    FIND_COORDINATOR(ApiKeys.FIND_COORDINATOR),
    JOIN_GROUP(ApiKeys.JOIN_GROUP),
    HEARTBEAT(ApiKeys.HEARTBEAT),
    LEAVE_GROUP(ApiKeys.LEAVE_GROUP),
    SYNC_GROUP(ApiKeys.SYNC_GROUP),
    DESCRIBE_GROUPS(ApiKeys.DESCRIBE_GROUPS),
    LIST_GROUPS(ApiKeys.LIST_GROUPS),
    API_VERSIONS(ApiKeys.API_VERSIONS),
    CREATE_TOPICS(ApiKeys.CREATE_TOPICS),
    DELETE_TOPICS(ApiKeys.DELETE_TOPICS),
    DELETE_RECORDS(ApiKeys.DELETE_RECORDS),
    INIT_PRODUCER_ID(ApiKeys.INIT_PRODUCER_ID),
    OFFSET_FOR_LEADER_EPOCH(ApiKeys.OFFSET_FOR_LEADER_EPOCH),
    DESCRIBE_CONFIGS(ApiKeys.DESCRIBE_CONFIGS),
    ALTER_CONFIGS(ApiKeys.ALTER_CONFIGS),
    DESCRIBE_LOG_DIRS(ApiKeys.DESCRIBE_LOG_DIRS),
    CREATE_PARTITIONS(ApiKeys.CREATE_PARTITIONS),
    DELETE_GROUPS(ApiKeys.DELETE_GROUPS),
    INCREMENTAL_ALTER_CONFIGS(ApiKeys.INCREMENTAL_ALTER_CONFIGS),
    OFFSET_DELETE(ApiKeys.OFFSET_DELETE),
    DESCRIBE_CLUSTER(ApiKeys.DESCRIBE_CLUSTER),
    DESCRIBE_TOPIC_PARTITIONS(ApiKeys.DESCRIBE_TOPIC_PARTITIONS);

    private final ApiKeys kafka;

    ApiKey(ApiKeys kafka) {
        this.kafka = kafka;
    }

    public short id() {
        return kafka.id;
    }

    /** The lowest version Kafka 4.3.1 accepts for this API. */
    public short oldestVersion() {
        return kafka.oldestVersion();
    }

    /**
     * The highest version Kafka 4.3.1 accepts for this API. Versions kafka-clients marks unstable
     * are excluded, as a Kafka broker excludes them unless {@code unstable.api.versions.enable} is
     * set (InitProducerId v6, for one).
     */
    public short latestVersion() {
        return kafka.latestVersion(false);
    }

    public boolean isVersionSupported(short version) {
        return version >= oldestVersion() && version <= latestVersion();
    }

    public static Optional<ApiKey> forId(short id) {
        for (ApiKey key : values()) {
            if (key.id() == id) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }
}
