package io.millrace.server.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every configuration key Millrace accepts, in one table: Kafka's name where the meaning is
 * Kafka's, the type, the default, a validator and the documentation. Start-up rejects any key not
 * in this table, so the table is also the complete reference: {@link #markdownTable()} renders it
 * for the README and for {@code millrace config-docs}.
 *
 * <p>Keys whose default is {@code null} ({@code log.retention.ms}, {@code log.roll.ms},
 * {@code advertised.listeners}, ...) are derived from other keys when unset, exactly as Kafka
 * resolves them; {@link ServerConfig} holds those rules.
 */
public final class ConfigDef {

    public static final ConfigKey<Integer> NODE_ID = new ConfigKey<>("node.id", "int", "1",
            "This node's id; must appear in controller.quorum.voters.", Parsers.intAtLeast(0));
    public static final ConfigKey<List<ListenerAddress>> LISTENERS = new ConfigKey<>("listeners", "list",
            "PLAINTEXT://localhost:9092",
            "Where the Kafka protocol is served: comma-separated NAME://host:port. An empty host or 0.0.0.0 "
                    + "binds every interface. Plaintext only.",
            Parsers.listeners());
    public static final ConfigKey<List<ListenerAddress>> ADVERTISED_LISTENERS = new ConfigKey<>(
            "advertised.listeners", "list", null,
            "What Metadata responses tell clients to connect to. Default: listeners, with an empty or 0.0.0.0 "
                    + "host replaced by localhost.",
            Parsers.listeners());
    public static final ConfigKey<Map<Integer, InetSocketAddress>> CONTROLLER_QUORUM_VOTERS = new ConfigKey<>(
            "controller.quorum.voters", "list", "1@localhost:9093",
            "The Raft voters that keep cluster metadata: comma-separated id@host:port. A node binds Raft on "
                    + "its own entry.",
            Parsers.voters());
    public static final ConfigKey<InetSocketAddress> HTTP_LISTENER = new ConfigKey<>("http.listener", "host:port",
            "localhost:8090", "Where /metrics, /health/live and /health/ready are served. An empty host binds "
                    + "every interface.",
            Parsers.hostPort());
    public static final ConfigKey<Path> LOG_DIRS = new ConfigKey<>("log.dirs", "path", "./data",
            "The node's data directory (partition logs and Raft log). Exactly one directory, relative to the "
                    + "working directory unless absolute.",
            Parsers.singleDirectory());
    public static final ConfigKey<Integer> NUM_PARTITIONS = new ConfigKey<>("num.partitions", "int", "1",
            "Partitions of an auto-created topic, and of a created topic that does not say.",
            Parsers.intAtLeast(1));
    public static final ConfigKey<Short> DEFAULT_REPLICATION_FACTOR = new ConfigKey<>("default.replication.factor",
            "short", "1", "Replicas of an auto-created topic, and of a created topic that does not say.",
            Parsers.shortAtLeast((short) 1));
    public static final ConfigKey<Boolean> AUTO_CREATE_TOPICS_ENABLE = new ConfigKey<>("auto.create.topics.enable",
            "boolean", "true", "Create a topic when a client asks for metadata of a topic that does not exist.",
            Parsers.bool());
    public static final ConfigKey<Integer> LOG_SEGMENT_BYTES = new ConfigKey<>("log.segment.bytes", "int",
            "1073741824", "Size at which a partition's active segment is closed and a new one started.",
            Parsers.intAtLeast(14));
    public static final ConfigKey<Long> LOG_ROLL_MS = new ConfigKey<>("log.roll.ms", "long", null,
            "Age at which the active segment is rolled even if not full. Default: log.roll.hours.",
            Parsers.longAtLeast(1));
    public static final ConfigKey<Integer> LOG_ROLL_HOURS = new ConfigKey<>("log.roll.hours", "int", "168",
            "log.roll.ms in hours; used when log.roll.ms is not set.", Parsers.intAtLeast(1));
    public static final ConfigKey<Long> LOG_RETENTION_MS = new ConfigKey<>("log.retention.ms", "long", null,
            "How long a closed segment is kept; -1 keeps it forever. Default: log.retention.minutes, else "
                    + "log.retention.hours (Kafka's precedence).",
            Parsers.longAtLeast(-1));
    public static final ConfigKey<Integer> LOG_RETENTION_MINUTES = new ConfigKey<>("log.retention.minutes", "int",
            null, "log.retention.ms in minutes; used when log.retention.ms is not set.", Parsers.intAtLeast(-1));
    public static final ConfigKey<Integer> LOG_RETENTION_HOURS = new ConfigKey<>("log.retention.hours", "int",
            "168", "log.retention.ms in hours; used when neither log.retention.ms nor log.retention.minutes is set.",
            Parsers.intAtLeast(-1));
    public static final ConfigKey<Long> LOG_RETENTION_BYTES = new ConfigKey<>("log.retention.bytes", "long", "-1",
            "Largest size a partition may reach before its oldest segments are deleted; -1: unlimited.",
            Parsers.longAtLeast(-1));
    public static final ConfigKey<Integer> MESSAGE_MAX_BYTES = new ConfigKey<>("message.max.bytes", "int",
            "1048588", "Largest record batch a producer may send.", Parsers.intAtLeast(0));
    public static final ConfigKey<String> LOG_FLUSH_POLICY = new ConfigKey<>("log.flush.policy", "durable|relaxed",
            "durable",
            "durable: acknowledge a write only after it is fsynced (group commit). relaxed: Kafka's behaviour, "
                    + "acknowledge from the page cache and flush every log.flush.interval.ms.",
            Parsers.oneOf("durable", "relaxed"));
    public static final ConfigKey<Long> LOG_FLUSH_INTERVAL_MS = new ConfigKey<>("log.flush.interval.ms", "long",
            "1000", "Under log.flush.policy=relaxed, how often written data is flushed to disk.",
            Parsers.longAtLeast(1));
    public static final ConfigKey<Long> LOG_PAGE_CACHE_RETAIN_BYTES = new ConfigKey<>("log.page.cache.retain.bytes",
            "long", "-1",
            "How much flushed log data, over all partitions, stays in the OS page cache: after each flush a "
                    + "partition's older data is dropped from it (reads of dropped data come from disk). -1: all "
                    + "of it, until the kernel evicts it (Kafka's behaviour). Needs JDK 17's foreign-linker "
                    + "options, as syncfs does.",
            Parsers.longAtLeast(-1));
    public static final ConfigKey<Integer> MIN_INSYNC_REPLICAS = new ConfigKey<>("min.insync.replicas", "int", "1",
            "Fewest in-sync replicas with which an acks=all produce is accepted.", Parsers.intAtLeast(1));
    public static final ConfigKey<Integer> SOCKET_REQUEST_MAX_BYTES = new ConfigKey<>("socket.request.max.bytes",
            "int", "104857600", "Largest request frame accepted; a larger one closes the connection before it "
                    + "is read.",
            Parsers.intAtLeast(1));

    public static final ConfigKey<Integer> OFFSETS_TOPIC_NUM_PARTITIONS = new ConfigKey<>(
            "offsets.topic.num.partitions", "int", "50",
            "Partitions of __consumer_offsets, created when a client first looks for a group coordinator. "
                    + "Fixed once the topic exists: a group's partition is hash(group.id) % this.",
            Parsers.intAtLeast(1));
    public static final ConfigKey<Short> OFFSETS_TOPIC_REPLICATION_FACTOR = new ConfigKey<>(
            "offsets.topic.replication.factor", "short", "3",
            "Replicas of __consumer_offsets, capped at the number of controller.quorum.voters (so a single node "
                    + "uses 1).",
            Parsers.shortAtLeast((short) 1));
    public static final ConfigKey<Integer> OFFSETS_TOPIC_SEGMENT_BYTES = new ConfigKey<>(
            "offsets.topic.segment.bytes", "int", "104857600",
            "segment.bytes of __consumer_offsets; small segments let compaction reclaim space sooner.",
            Parsers.intAtLeast(1024 * 1024));
    public static final ConfigKey<Integer> GROUP_INITIAL_REBALANCE_DELAY_MS = new ConfigKey<>(
            "group.initial.rebalance.delay.ms", "int", "3000",
            "How long the first rebalance of an empty group waits for more members (extended while they keep "
                    + "arriving, up to the rebalance timeout).",
            Parsers.intAtLeast(0));
    public static final ConfigKey<Integer> GROUP_MIN_SESSION_TIMEOUT_MS = new ConfigKey<>(
            "group.min.session.timeout.ms", "int", "6000", "Shortest session.timeout.ms a consumer may ask for.",
            Parsers.intAtLeast(0));
    public static final ConfigKey<Integer> GROUP_MAX_SESSION_TIMEOUT_MS = new ConfigKey<>(
            "group.max.session.timeout.ms", "int", "1800000", "Longest session.timeout.ms a consumer may ask for.",
            Parsers.intAtLeast(0));
    public static final ConfigKey<Integer> GROUP_MAX_SIZE = new ConfigKey<>("group.max.size", "int", "2147483647",
            "Most members a group may have; more get GROUP_MAX_SIZE_REACHED.", Parsers.intAtLeast(1));
    public static final ConfigKey<Integer> OFFSETS_RETENTION_MINUTES = new ConfigKey<>("offsets.retention.minutes",
            "int", "10080",
            "Committed offsets of a group are deleted this long after the group became empty (for groups that "
                    + "never had members, after the commit).",
            Parsers.intAtLeast(1));
    public static final ConfigKey<Long> OFFSETS_RETENTION_CHECK_INTERVAL_MS = new ConfigKey<>(
            "offsets.retention.check.interval.ms", "long", "600000", "How often expired offsets are looked for.",
            Parsers.longAtLeast(1));
    public static final ConfigKey<Integer> OFFSET_METADATA_MAX_BYTES = new ConfigKey<>("offset.metadata.max.bytes",
            "int", "4096", "Longest metadata string an offset commit may carry (OFFSET_METADATA_TOO_LARGE).",
            Parsers.intAtLeast(0));
    public static final ConfigKey<Integer> OFFSETS_COMMIT_TIMEOUT_MS = new ConfigKey<>("offsets.commit.timeout.ms",
            "int", "5000", "How long a write to __consumer_offsets may wait for its replicas.",
            Parsers.intAtLeast(1));

    private static final Map<String, ConfigKey<?>> KEYS = index(List.of(NODE_ID, LISTENERS, ADVERTISED_LISTENERS,
            CONTROLLER_QUORUM_VOTERS, HTTP_LISTENER, LOG_DIRS, NUM_PARTITIONS, DEFAULT_REPLICATION_FACTOR,
            AUTO_CREATE_TOPICS_ENABLE, LOG_SEGMENT_BYTES, LOG_ROLL_MS, LOG_ROLL_HOURS, LOG_RETENTION_MS,
            LOG_RETENTION_MINUTES, LOG_RETENTION_HOURS, LOG_RETENTION_BYTES, MESSAGE_MAX_BYTES, LOG_FLUSH_POLICY,
            LOG_FLUSH_INTERVAL_MS, LOG_PAGE_CACHE_RETAIN_BYTES, MIN_INSYNC_REPLICAS, SOCKET_REQUEST_MAX_BYTES,
            OFFSETS_TOPIC_NUM_PARTITIONS, OFFSETS_TOPIC_REPLICATION_FACTOR, OFFSETS_TOPIC_SEGMENT_BYTES,
            GROUP_INITIAL_REBALANCE_DELAY_MS, GROUP_MIN_SESSION_TIMEOUT_MS, GROUP_MAX_SESSION_TIMEOUT_MS,
            GROUP_MAX_SIZE, OFFSETS_RETENTION_MINUTES, OFFSETS_RETENTION_CHECK_INTERVAL_MS, OFFSET_METADATA_MAX_BYTES,
            OFFSETS_COMMIT_TIMEOUT_MS));

    private ConfigDef() {
    }

    private static Map<String, ConfigKey<?>> index(List<ConfigKey<?>> keys) {
        Map<String, ConfigKey<?>> byName = new LinkedHashMap<>();
        for (ConfigKey<?> key : keys) {
            if (byName.put(key.name(), key) != null) {
                throw new IllegalStateException("configuration key " + key.name() + " is defined twice");
            }
        }
        return byName;
    }

    /** Every key, in documentation order. */
    public static List<ConfigKey<?>> keys() {
        return List.copyOf(KEYS.values());
    }

    public static Optional<ConfigKey<?>> key(String name) {
        return Optional.ofNullable(KEYS.get(name));
    }

    /** The table as Markdown: key, type, default, meaning. */
    public static String markdownTable() {
        StringBuilder table = new StringBuilder("| key | type | default | meaning |\n|---|---|---|---|\n");
        for (ConfigKey<?> key : KEYS.values()) {
            String defaultValue = key.hasDefault() ? "`" + key.defaultValue() + "`" : "(derived)";
            table.append("| `").append(key.name()).append("` | ").append(key.type().replace("|", "\\|")).append(" | ")
                    .append(defaultValue).append(" | ").append(key.doc().replace("|", "\\|")).append(" |\n");
        }
        return table.toString();
    }
}
