package io.millrace.broker.replica;

import io.millrace.broker.BrokerConfig;
import io.millrace.metadata.TopicInfo;
import io.millrace.storage.LogConfig;
import java.util.Locale;
import java.util.Map;

/**
 * The effective storage settings of a topic: its own overrides from cluster metadata, else the
 * broker's defaults, else Kafka's. Topic config names are Kafka's; {@code cleanup.policy} is a
 * comma-separated list of {@code delete} and {@code compact} (Kafka's default: {@code delete}).
 */
public final class LogConfigs {

    private LogConfigs() {
    }

    public static LogConfig effective(TopicInfo topic, BrokerConfig broker) {
        Map<String, String> overrides = topic.configs();
        LogConfig defaults = LogConfig.defaults();
        return new LogConfig(
                intOf(overrides, "segment.bytes", broker.logSegmentBytes()),
                longOf(overrides, "segment.ms", broker.logRollMs()),
                longOf(overrides, "retention.ms", broker.logRetentionMs()),
                longOf(overrides, "retention.bytes", broker.logRetentionBytes()),
                intOf(overrides, "max.message.bytes", broker.messageMaxBytes()),
                intOf(overrides, "index.interval.bytes", defaults.indexIntervalBytes()),
                intOf(overrides, "segment.index.bytes", defaults.segmentIndexBytes()),
                "LogAppendTime".equals(overrides.get("message.timestamp.type")),
                longOf(overrides, "message.timestamp.before.max.ms", defaults.messageTimestampBeforeMaxMs()),
                longOf(overrides, "message.timestamp.after.max.ms", defaults.messageTimestampAfterMaxMs()),
                hasPolicy(overrides, "compact"),
                hasPolicy(overrides, "delete"),
                longOf(overrides, "delete.retention.ms", defaults.deleteRetentionMs()),
                longOf(overrides, "min.compaction.lag.ms", defaults.minCompactionLagMs()),
                longOf(overrides, "max.compaction.lag.ms", defaults.maxCompactionLagMs()),
                doubleOf(overrides, "min.cleanable.dirty.ratio", defaults.minCleanableDirtyRatio()));
    }

    /** Whether the topic's {@code cleanup.policy} list (default {@code delete}) names {@code policy}. */
    private static boolean hasPolicy(Map<String, String> overrides, String policy) {
        String value = overrides.getOrDefault("cleanup.policy", "delete");
        for (String part : value.split(",")) {
            if (part.trim().toLowerCase(Locale.ROOT).equals(policy)) {
                return true;
            }
        }
        return false;
    }

    private static double doubleOf(Map<String, String> overrides, String key, double fallback) {
        String value = overrides.get(key);
        return value == null ? fallback : Double.parseDouble(value.trim());
    }

    public static int minInsyncReplicas(TopicInfo topic, BrokerConfig broker) {
        return intOf(topic.configs(), "min.insync.replicas", broker.minInsyncReplicas());
    }

    private static int intOf(Map<String, String> overrides, String key, int fallback) {
        String value = overrides.get(key);
        return value == null ? fallback : Integer.parseInt(value.trim());
    }

    private static long longOf(Map<String, String> overrides, String key, long fallback) {
        String value = overrides.get(key);
        return value == null ? fallback : Long.parseLong(value.trim());
    }
}
