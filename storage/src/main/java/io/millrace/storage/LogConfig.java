package io.millrace.storage;

/**
 * Per-partition log settings, named after Kafka's topic configs ({@code segment.bytes},
 * {@code segment.ms}, {@code retention.ms}, {@code retention.bytes}, {@code max.message.bytes},
 * {@code index.interval.bytes}, {@code segment.index.bytes},
 * {@code message.timestamp.type=LogAppendTime}, {@code message.timestamp.before.max.ms},
 * {@code message.timestamp.after.max.ms}). Immutable, so safe to share between threads.
 *
 * @param segmentBytes                 roll the active segment before it would exceed this size
 * @param segmentMs                    roll the active segment once its first batch is older than this
 * @param retentionMs                  delete sealed segments whose newest timestamp is older; -1 keeps forever
 * @param retentionBytes               delete the oldest sealed segments while the log exceeds this; -1 unlimited
 * @param maxMessageBytes              largest record batch accepted, in bytes
 * @param indexIntervalBytes           bytes of log between two sparse index entries
 * @param segmentIndexBytes            size each index file is preallocated to; a full index rolls the segment
 * @param messageTimestampTypeLogAppend stamp batches with the broker's clock instead of the producer's
 * @param messageTimestampBeforeMaxMs  under CreateTime, how far a record timestamp may lie before the
 *                                     broker's clock ({@link Long#MAX_VALUE}: unlimited)
 * @param messageTimestampAfterMaxMs   under CreateTime, how far a record timestamp may lie after the
 *                                     broker's clock ({@link Long#MAX_VALUE}: unlimited)
 */
public record LogConfig(
        int segmentBytes,
        long segmentMs,
        long retentionMs,
        long retentionBytes,
        int maxMessageBytes,
        int indexIntervalBytes,
        int segmentIndexBytes,
        boolean messageTimestampTypeLogAppend,
        long messageTimestampBeforeMaxMs,
        long messageTimestampAfterMaxMs) {

    /** Kafka's default {@code segment.bytes}: 1 GiB. */
    public static final int DEFAULT_SEGMENT_BYTES = 1024 * 1024 * 1024;
    /** Kafka's default {@code segment.ms}: 7 days. */
    public static final long DEFAULT_SEGMENT_MS = 7L * 24 * 60 * 60 * 1000;
    /** Kafka's default {@code retention.ms}: 7 days. */
    public static final long DEFAULT_RETENTION_MS = 7L * 24 * 60 * 60 * 1000;
    /** Kafka's default {@code max.message.bytes}: 1 MiB plus the batch overhead. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024 + 12;
    public static final int DEFAULT_INDEX_INTERVAL_BYTES = 4096;
    public static final int DEFAULT_SEGMENT_INDEX_BYTES = 10 * 1024 * 1024;
    /** Kafka's default {@code message.timestamp.before.max.ms}: unlimited. */
    public static final long DEFAULT_MESSAGE_TIMESTAMP_BEFORE_MAX_MS = Long.MAX_VALUE;
    /** Kafka 4's default {@code message.timestamp.after.max.ms}: 1 hour. */
    public static final long DEFAULT_MESSAGE_TIMESTAMP_AFTER_MAX_MS = 60L * 60 * 1000;
    /** Smallest index file that still holds one entry of either index. */
    private static final int MIN_SEGMENT_INDEX_BYTES = 12;
    /** Smallest segment that holds a record batch header. */
    private static final int MIN_SEGMENT_BYTES = 61 + 12;

    public LogConfig {
        if (segmentBytes < MIN_SEGMENT_BYTES) {
            throw new IllegalArgumentException("segmentBytes " + segmentBytes + " must be >= " + MIN_SEGMENT_BYTES);
        }
        if (segmentMs <= 0) {
            throw new IllegalArgumentException("segmentMs " + segmentMs + " must be > 0");
        }
        if (retentionMs < -1 || retentionBytes < -1) {
            throw new IllegalArgumentException("retentionMs " + retentionMs + " and retentionBytes "
                    + retentionBytes + " must be >= -1");
        }
        if (maxMessageBytes <= 0 || indexIntervalBytes < 0) {
            throw new IllegalArgumentException("maxMessageBytes " + maxMessageBytes
                    + " must be > 0 and indexIntervalBytes " + indexIntervalBytes + " >= 0");
        }
        if (segmentIndexBytes < MIN_SEGMENT_INDEX_BYTES) {
            throw new IllegalArgumentException("segmentIndexBytes " + segmentIndexBytes + " must be >= "
                    + MIN_SEGMENT_INDEX_BYTES);
        }
        if (messageTimestampBeforeMaxMs < 0 || messageTimestampAfterMaxMs < 0) {
            throw new IllegalArgumentException("messageTimestampBeforeMaxMs " + messageTimestampBeforeMaxMs
                    + " and messageTimestampAfterMaxMs " + messageTimestampAfterMaxMs + " must be >= 0");
        }
    }

    /** Kafka's broker defaults. */
    public static LogConfig defaults() {
        return new LogConfig(DEFAULT_SEGMENT_BYTES, DEFAULT_SEGMENT_MS, DEFAULT_RETENTION_MS, -1,
                DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_INDEX_INTERVAL_BYTES, DEFAULT_SEGMENT_INDEX_BYTES, false,
                DEFAULT_MESSAGE_TIMESTAMP_BEFORE_MAX_MS, DEFAULT_MESSAGE_TIMESTAMP_AFTER_MAX_MS);
    }

    public LogConfig withSegmentBytes(int bytes) {
        return new LogConfig(bytes, segmentMs, retentionMs, retentionBytes, maxMessageBytes,
                indexIntervalBytes, segmentIndexBytes, messageTimestampTypeLogAppend,
                messageTimestampBeforeMaxMs, messageTimestampAfterMaxMs);
    }

    public LogConfig withSegmentMs(long ms) {
        return new LogConfig(segmentBytes, ms, retentionMs, retentionBytes, maxMessageBytes,
                indexIntervalBytes, segmentIndexBytes, messageTimestampTypeLogAppend,
                messageTimestampBeforeMaxMs, messageTimestampAfterMaxMs);
    }

    public LogConfig withRetention(long ms, long bytes) {
        return new LogConfig(segmentBytes, segmentMs, ms, bytes, maxMessageBytes,
                indexIntervalBytes, segmentIndexBytes, messageTimestampTypeLogAppend,
                messageTimestampBeforeMaxMs, messageTimestampAfterMaxMs);
    }

    public LogConfig withMaxMessageBytes(int bytes) {
        return new LogConfig(segmentBytes, segmentMs, retentionMs, retentionBytes, bytes,
                indexIntervalBytes, segmentIndexBytes, messageTimestampTypeLogAppend,
                messageTimestampBeforeMaxMs, messageTimestampAfterMaxMs);
    }

    public LogConfig withIndexIntervalBytes(int bytes) {
        return new LogConfig(segmentBytes, segmentMs, retentionMs, retentionBytes, maxMessageBytes,
                bytes, segmentIndexBytes, messageTimestampTypeLogAppend,
                messageTimestampBeforeMaxMs, messageTimestampAfterMaxMs);
    }

    public LogConfig withSegmentIndexBytes(int bytes) {
        return new LogConfig(segmentBytes, segmentMs, retentionMs, retentionBytes, maxMessageBytes,
                indexIntervalBytes, bytes, messageTimestampTypeLogAppend,
                messageTimestampBeforeMaxMs, messageTimestampAfterMaxMs);
    }

    public LogConfig withLogAppendTime(boolean logAppendTime) {
        return new LogConfig(segmentBytes, segmentMs, retentionMs, retentionBytes, maxMessageBytes,
                indexIntervalBytes, segmentIndexBytes, logAppendTime,
                messageTimestampBeforeMaxMs, messageTimestampAfterMaxMs);
    }

    /** This config with {@code message.timestamp.before.max.ms} and {@code message.timestamp.after.max.ms}. */
    public LogConfig withTimestampLimits(long beforeMaxMs, long afterMaxMs) {
        return new LogConfig(segmentBytes, segmentMs, retentionMs, retentionBytes, maxMessageBytes,
                indexIntervalBytes, segmentIndexBytes, messageTimestampTypeLogAppend, beforeMaxMs, afterMaxMs);
    }
}
