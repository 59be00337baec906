package io.millrace.broker.replica;

import io.millrace.broker.BrokerConfig;
import io.millrace.metadata.TopicInfo;
import io.millrace.storage.LogConfig;
import java.util.Map;

/**
 * The effective storage settings of a topic: its own overrides from cluster metadata, else the
 * broker's defaults, else Kafka's. Topic config names are Kafka's.
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
                longOf(overrides, "message.timestamp.after.max.ms", defaults.messageTimestampAfterMaxMs()));
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
