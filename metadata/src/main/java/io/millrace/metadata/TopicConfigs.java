package io.millrace.metadata;

import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.MillraceException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The topic-level configs users set, with Kafka's names, types, defaults and value constraints
 * (Kafka 4's LogConfig). Tiered-storage configs ({@code remote.storage.enable},
 * {@code local.retention.*}, {@code remote.log.*}) are not defined because Millrace has no
 * remote storage, so setting them fails as an unknown config.
 *
 * <p>Thread-safety: stateless; the definitions are immutable.
 */
public final class TopicConfigs {
    public static final String CLEANUP_POLICY = "cleanup.policy";
    public static final String COMPRESSION_TYPE = "compression.type";
    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";
    public static final String RETENTION_MS = "retention.ms";
    public static final String RETENTION_BYTES = "retention.bytes";
    public static final String SEGMENT_BYTES = "segment.bytes";
    public static final String SEGMENT_MS = "segment.ms";
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    public static final String UNCLEAN_LEADER_ELECTION_ENABLE = "unclean.leader.election.enable";

    private static final Map<String, TopicConfigDef> DEFS = definitions();

    private TopicConfigs() {
    }

    /** The names of every topic config, sorted. */
    public static Set<String> names() {
        return DEFS.keySet();
    }

    /** Kafka's default value of a topic config, as a string. */
    public static String defaultValue(String name) {
        TopicConfigDef def = DEFS.get(name);
        if (def == null) {
            throw unknown(name);
        }
        return def.defaultValue();
    }

    /**
     * Checks that every key is a topic config and every value parses and satisfies its
     * constraint.
     *
     * @throws MillraceException with {@link ErrorCode#INVALID_CONFIG} naming the first bad key and value
     */
    public static void validate(Map<String, String> configs) {
        for (Map.Entry<String, String> e : new TreeMap<>(configs).entrySet()) {
            TopicConfigDef def = DEFS.get(e.getKey());
            if (def == null) {
                throw unknown(e.getKey());
            }
            String problem = def.check(e.getValue());
            if (problem != null) {
                throw new MillraceException(ErrorCode.INVALID_CONFIG, "Invalid value " + e.getValue()
                        + " for configuration " + e.getKey() + ": " + problem);
            }
        }
    }

    /** Checks names only, as deleting an override needs. */
    static void validateNames(Set<String> names) {
        for (String name : new java.util.TreeSet<>(names)) {
            if (!DEFS.containsKey(name)) {
                throw unknown(name);
            }
        }
    }

    /**
     * Every topic config with its effective value: the override if set, else the broker-level
     * default if configured, else Kafka's default.
     */
    public static List<ConfigEntry> describe(Map<String, String> overrides, Map<String, String> brokerDefaults) {
        List<ConfigEntry> entries = new ArrayList<>(DEFS.size());
        for (TopicConfigDef def : DEFS.values()) {
            String value;
            ConfigSource source;
            if (overrides.containsKey(def.name())) {
                value = overrides.get(def.name());
                source = ConfigSource.DYNAMIC_TOPIC_CONFIG;
            } else if (brokerDefaults.containsKey(def.name())) {
                value = brokerDefaults.get(def.name());
                source = ConfigSource.STATIC_BROKER_CONFIG;
            } else {
                value = def.defaultValue();
                source = ConfigSource.DEFAULT_CONFIG;
            }
            entries.add(new ConfigEntry(def.name(), value, source, false, false, def.type(), def.documentation()));
        }
        return Collections.unmodifiableList(entries);
    }

    private static MillraceException unknown(String name) {
        return new MillraceException(ErrorCode.INVALID_CONFIG, "Unknown topic config name: " + name);
    }

    private static Map<String, TopicConfigDef> definitions() {
        long max = Long.MAX_VALUE;
        List<TopicConfigDef> defs = List.of(
                TopicConfigDef.list(CLEANUP_POLICY, "delete", Set.of("delete", "compact"),
                        "How old segments are cleaned up: \"delete\" discards segments past the retention time or"
                                + " size, \"compact\" keeps only the latest record per key, both may be combined,"
                                + " and an empty list keeps every segment forever."),
                TopicConfigDef.oneOf(COMPRESSION_TYPE, "producer",
                        List.of("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"),
                        "The compression the topic stores batches in; \"producer\" keeps the producer's"
                                + " codec and \"uncompressed\" stores batches uncompressed."),
                TopicConfigDef.intRange("compression.gzip.level", -1, 1, 9, true,
                        "The gzip level used when compression.type is gzip (-1 means the codec's default)."),
                TopicConfigDef.intRange("compression.lz4.level", 9, 1, 17, false,
                        "The lz4 level used when compression.type is lz4."),
                TopicConfigDef.intRange("compression.zstd.level", 3, -131072, 22, false,
                        "The zstd level used when compression.type is zstd."),
                TopicConfigDef.longAtLeast("delete.retention.ms", 86_400_000L, 0,
                        "How long delete tombstones are kept on a compacted topic, so consumers can see them."),
                TopicConfigDef.longAtLeast("file.delete.delay.ms", 60_000L, 0,
                        "How long a deleted segment's files wait before they are removed from disk."),
                TopicConfigDef.longAtLeast("flush.messages", max, 1,
                        "Force an fsync of the log after this many messages."),
                TopicConfigDef.longAtLeast("flush.ms", max, 0,
                        "Force an fsync of the log when this much time passed since the last one."),
                TopicConfigDef.intRange("index.interval.bytes", 4096, 0, Integer.MAX_VALUE, false,
                        "How many bytes of log lie between two offset index entries."),
                TopicConfigDef.longAtLeast("max.compaction.lag.ms", max, 1,
                        "The longest a record may stay uncompacted on a compacted topic."),
                TopicConfigDef.intRange(MAX_MESSAGE_BYTES, 1_048_588, 0, Integer.MAX_VALUE, false,
                        "The largest record batch, after compression, that the topic accepts."),
                TopicConfigDef.bool("message.downconversion.enable", true,
                        "Has no effect: Kafka 4 no longer down-converts, and Kafka accepts this name only for"
                                + " compatibility."),
                TopicConfigDef.longAtLeast("message.timestamp.after.max.ms", 3_600_000L, 0,
                        "How far a CreateTime timestamp may lie after the broker's clock before the batch is"
                                + " rejected."),
                TopicConfigDef.longAtLeast("message.timestamp.before.max.ms", max, 0,
                        "How far a CreateTime timestamp may lie before the broker's clock before the batch is"
                                + " rejected."),
                TopicConfigDef.oneOf("message.timestamp.type", "CreateTime", List.of("CreateTime", "LogAppendTime"),
                        "Whether record timestamps are the producer's (CreateTime) or the broker's append time"
                                + " (LogAppendTime)."),
                TopicConfigDef.doubleRange("min.cleanable.dirty.ratio", 0.5, 0, 1,
                        "Compaction starts once the uncompacted share of the log reaches this ratio."),
                TopicConfigDef.longAtLeast("min.compaction.lag.ms", 0L, 0,
                        "The shortest time a record stays uncompacted."),
                TopicConfigDef.intRange(MIN_INSYNC_REPLICAS, 1, 1, Integer.MAX_VALUE, false,
                        "The fewest in-sync replicas that must acknowledge an acks=all write; with fewer the"
                                + " producer gets NOT_ENOUGH_REPLICAS."),
                TopicConfigDef.bool("preallocate", false, "Whether new segment files are preallocated on disk."),
                TopicConfigDef.longAtLeast(RETENTION_BYTES, -1L, Long.MIN_VALUE,
                        "The largest a partition may grow before old segments are deleted; -1 means no limit."),
                TopicConfigDef.longAtLeast(RETENTION_MS, 604_800_000L, -1,
                        "How long segments are kept before deletion; -1 means no time limit."),
                TopicConfigDef.intRange(SEGMENT_BYTES, 1_073_741_824, 1_048_576, Integer.MAX_VALUE, false,
                        "The size at which a segment file is rolled."),
                TopicConfigDef.intRange("segment.index.bytes", 10_485_760, 4, Integer.MAX_VALUE, false,
                        "The size of the preallocated offset index of each segment."),
                TopicConfigDef.longAtLeast("segment.jitter.ms", 0L, 0,
                        "The largest random offset subtracted from segment.ms, so segments do not all roll at once."),
                TopicConfigDef.longAtLeast(SEGMENT_MS, 604_800_000L, 1,
                        "The age at which a segment is rolled even if it is not full."),
                TopicConfigDef.bool(UNCLEAN_LEADER_ELECTION_ENABLE, false,
                        "Whether a replica outside the ISR may become leader as a last resort, losing data."));
        Map<String, TopicConfigDef> byName = new TreeMap<>();
        defs.forEach(d -> byName.put(d.name(), d));
        return Collections.unmodifiableMap(byName);
    }

    static List<String> parseList(String value) {
        String trimmed = value.trim();
        if (trimmed.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(trimmed.split("\\s*,\\s*", -1)).toList();
    }
}
