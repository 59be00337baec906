package io.millrace.storage;

/**
 * Per-partition log settings, named after Kafka's topic configs ({@code segment.bytes},
 * {@code segment.ms}, {@code retention.ms}, {@code retention.bytes}, {@code max.message.bytes},
 * {@code index.interval.bytes}, {@code segment.index.bytes},
 * {@code message.timestamp.type=LogAppendTime}, {@code message.timestamp.before.max.ms},
 * {@code message.timestamp.after.max.ms}, {@code cleanup.policy}, {@code delete.retention.ms},
 * {@code min.compaction.lag.ms}, {@code max.compaction.lag.ms}, {@code min.cleanable.dirty.ratio}).
 * Immutable, so safe to share between threads.
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
 * @param compact                      {@code cleanup.policy} contains {@code compact}: the log cleaner keeps the
 *                                     latest record per key, and produced records must have a key
 * @param delete                       {@code cleanup.policy} contains {@code delete}: {@code retention.ms} and
 *                                     {@code retention.bytes} apply
 * @param deleteRetentionMs            how long a tombstone stays readable after the cleaner first kept it
 * @param minCompactionLagMs           records newer than this are never compacted
 * @param maxCompactionLagMs           a record left uncompacted longer than this makes its log eligible for
 *                                     cleaning whatever its dirty ratio
 * @param minCleanableDirtyRatio       dirty bytes over total cleanable bytes above which a log is cleaned
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
        long messageTimestampAfterMaxMs,
        boolean compact,
        boolean delete,
        long deleteRetentionMs,
        long minCompactionLagMs,
        long maxCompactionLagMs,
        double minCleanableDirtyRatio) {

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
    /** Kafka's default {@code delete.retention.ms}: 1 day. */
    public static final long DEFAULT_DELETE_RETENTION_MS = 24L * 60 * 60 * 1000;
    /** Kafka's default {@code min.cleanable.dirty.ratio}. */
    public static final double DEFAULT_MIN_CLEANABLE_DIRTY_RATIO = 0.5;
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
        if (deleteRetentionMs < 0 || minCompactionLagMs < 0 || maxCompactionLagMs < 1) {
            throw new IllegalArgumentException("deleteRetentionMs " + deleteRetentionMs + " and minCompactionLagMs "
                    + minCompactionLagMs + " must be >= 0, maxCompactionLagMs " + maxCompactionLagMs + " >= 1");
        }
        if (!(minCleanableDirtyRatio >= 0 && minCleanableDirtyRatio <= 1)) {
            throw new IllegalArgumentException("minCleanableDirtyRatio " + minCleanableDirtyRatio
                    + " must be in [0, 1]");
        }
    }

    /** A delete-only config (Kafka's default {@code cleanup.policy=delete}) with compaction defaults. */
    public LogConfig(int segmentBytes, long segmentMs, long retentionMs, long retentionBytes, int maxMessageBytes,
                     int indexIntervalBytes, int segmentIndexBytes, boolean messageTimestampTypeLogAppend,
                     long messageTimestampBeforeMaxMs, long messageTimestampAfterMaxMs) {
        this(segmentBytes, segmentMs, retentionMs, retentionBytes, maxMessageBytes, indexIntervalBytes,
                segmentIndexBytes, messageTimestampTypeLogAppend, messageTimestampBeforeMaxMs,
                messageTimestampAfterMaxMs, false, true, DEFAULT_DELETE_RETENTION_MS, 0, Long.MAX_VALUE,
                DEFAULT_MIN_CLEANABLE_DIRTY_RATIO);
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
                messageTimestampBeforeMaxMs, messageTimestampAfterMaxMs, compact, delete, deleteRetentionMs,
                minCompactionLagMs, maxCompactionLagMs, minCleanableDirtyRatio);
    }

    public LogConfig withSegmentMs(long ms) {
        return new LogConfig(segmentBytes, ms, retentionMs, retentionBytes, maxMessageBytes,
                indexIntervalBytes, segmentIndexBytes, messageTimestampTypeLogAppend,
                messageTimestampBeforeMaxMs, messageTimestampAfterMaxMs, compact, delete, deleteRetentionMs,
                minCompactionLagMs, maxCompactionLagMs, minCleanableDirtyRatio);
    }

    public LogConfig withRetention(long ms, long bytes) {
        return new LogConfig(segmentBytes, segmentMs, ms, bytes, maxMessageBytes,
                indexIntervalBytes, segmentIndexBytes, messageTimestampTypeLogAppend,
                messageTimestampBeforeMaxMs, messageTimestampAfterMaxMs, compact, delete, deleteRetentionMs,
                minCompactionLagMs, maxCompactionLagMs, minCleanableDirtyRatio);
    }

    public LogConfig withMaxMessageBytes(int bytes) {
        return new LogConfig(segmentBytes, segmentMs, retentionMs, retentionBytes, bytes,
                indexIntervalBytes, segmentIndexBytes, messageTimestampTypeLogAppend,
                messageTimestampBeforeMaxMs, messageTimestampAfterMaxMs, compact, delete, deleteRetentionMs,
                minCompactionLagMs, maxCompactionLagMs, minCleanableDirtyRatio);
    }

    public LogConfig withIndexIntervalBytes(int bytes) {
        return new LogConfig(segmentBytes, segmentMs, retentionMs, retentionBytes, maxMessageBytes,
                bytes, segmentIndexBytes, messageTimestampTypeLogAppend,
                messageTimestampBeforeMaxMs, messageTimestampAfterMaxMs, compact, delete, deleteRetentionMs,
                minCompactionLagMs, maxCompactionLagMs, minCleanableDirtyRatio);
    }

    public LogConfig withSegmentIndexBytes(int bytes) {
        return new LogConfig(segmentBytes, segmentMs, retentionMs, retentionBytes, maxMessageBytes,
                indexIntervalBytes, bytes, messageTimestampTypeLogAppend,
                messageTimestampBeforeMaxMs, messageTimestampAfterMaxMs, compact, delete, deleteRetentionMs,
                minCompactionLagMs, maxCompactionLagMs, minCleanableDirtyRatio);
    }

    public LogConfig withLogAppendTime(boolean logAppendTime) {
        return new LogConfig(segmentBytes, segmentMs, retentionMs, retentionBytes, maxMessageBytes,
                indexIntervalBytes, segmentIndexBytes, logAppendTime,
                messageTimestampBeforeMaxMs, messageTimestampAfterMaxMs, compact, delete, deleteRetentionMs,
                minCompactionLagMs, maxCompactionLagMs, minCleanableDirtyRatio);
    }

    /** This config with {@code message.timestamp.before.max.ms} and {@code message.timestamp.after.max.ms}. */
    public LogConfig withTimestampLimits(long beforeMaxMs, long afterMaxMs) {
        return new LogConfig(segmentBytes, segmentMs, retentionMs, retentionBytes, maxMessageBytes,
                indexIntervalBytes, segmentIndexBytes, messageTimestampTypeLogAppend, beforeMaxMs, afterMaxMs,
                compact, delete, deleteRetentionMs, minCompactionLagMs, maxCompactionLagMs, minCleanableDirtyRatio);
    }

    /**
     * This config with {@code cleanup.policy}: {@code compact}, {@code delete} or both
     * ({@code compact,delete}); neither means the log is kept forever.
     */
    public LogConfig withCleanupPolicy(boolean compactPolicy, boolean deletePolicy) {
        return new LogConfig(segmentBytes, segmentMs, retentionMs, retentionBytes, maxMessageBytes,
                indexIntervalBytes, segmentIndexBytes, messageTimestampTypeLogAppend, messageTimestampBeforeMaxMs,
                messageTimestampAfterMaxMs, compactPolicy, deletePolicy, deleteRetentionMs, minCompactionLagMs,
                maxCompactionLagMs, minCleanableDirtyRatio);
    }

    /** This config with {@code delete.retention.ms}. */
    public LogConfig withDeleteRetentionMs(long ms) {
        return new LogConfig(segmentBytes, segmentMs, retentionMs, retentionBytes, maxMessageBytes,
                indexIntervalBytes, segmentIndexBytes, messageTimestampTypeLogAppend, messageTimestampBeforeMaxMs,
                messageTimestampAfterMaxMs, compact, delete, ms, minCompactionLagMs, maxCompactionLagMs,
                minCleanableDirtyRatio);
    }

    /** This config with {@code min.compaction.lag.ms} and {@code max.compaction.lag.ms}. */
    public LogConfig withCompactionLag(long minMs, long maxMs) {
        return new LogConfig(segmentBytes, segmentMs, retentionMs, retentionBytes, maxMessageBytes,
                indexIntervalBytes, segmentIndexBytes, messageTimestampTypeLogAppend, messageTimestampBeforeMaxMs,
                messageTimestampAfterMaxMs, compact, delete, deleteRetentionMs, minMs, maxMs, minCleanableDirtyRatio);
    }

    /** This config with {@code min.cleanable.dirty.ratio}. */
    public LogConfig withMinCleanableDirtyRatio(double ratio) {
        return new LogConfig(segmentBytes, segmentMs, retentionMs, retentionBytes, maxMessageBytes,
                indexIntervalBytes, segmentIndexBytes, messageTimestampTypeLogAppend, messageTimestampBeforeMaxMs,
                messageTimestampAfterMaxMs, compact, delete, deleteRetentionMs, minCompactionLagMs, maxCompactionLagMs,
                ratio);
    }
}
