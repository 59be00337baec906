package io.millrace.storage;

import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.FileSlice;
import io.millrace.protocol.MillraceException;
import io.millrace.protocol.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The on-disk log of one topic partition, in Kafka's format: a directory of segments of v2 record
 * batches stored exactly as the producer sent them, except that the broker patches each batch's
 * base offset and partition leader epoch in place (and, under LogAppendTime, the timestamp type
 * and max timestamp, recomputing the CRC). Nothing is decompressed on the append path.
 *
 * <p>Offsets: {@code logStartOffset <= highWatermark <= logEndOffset}; the durable end offset
 * ({@code durableEndOffset}) is the offset below which an fsync has completed.
 *
 * <p>Thread-safety: appends, rolls, truncation and segment deletion are serialised by one
 * {@link ReentrantLock} per partition, because offsets must be assigned in write order. Reads
 * ({@link #read}, {@link #offsetForTimestamp}) take no lock: segments live in a concurrent map,
 * offsets are volatile and published after the bytes are written. fsyncs run outside the append
 * lock under a separate flush lock (the monitor of the {@link DurableEnd}, which a truncation
 * also holds), on a flusher thread, so appends never wait for the disk.
 * Deleted segments are closed only after a delay so a slice already handed to the network stays
 * readable. The log start offset, retention and segment deletion live in {@link LogRetention},
 * which runs under this class's append lock. The {@link LogCleaner} reads sealed segments without
 * the lock and takes it only to swap cleaned segments in ({@link #replaceSegments}).
 */
public final class PartitionLog {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionLog.class);

    private final Path dir;
    private final String topic;
    private final int partition;
    private final Time time;
    private final FlushPolicy policy;
    private final ReentrantLock lock = new ReentrantLock();
    private final ConcurrentSkipListMap<Long, LogSegment> segments;
    private final ProducerStateManager producerState;
    private final LeaderEpochCache epochCache;
    private final Consumer<PartitionLog> onDirty;
    private final LongConsumer onTruncated;
    private final LogRetention retention;
    private final String logPrefix;
    private volatile UUID topicId;
    private volatile LogConfig config;
    private volatile long logEndOffset;
    private volatile long highWatermark;
    /** Below it everything is fsynced; its monitor is the flush lock. */
    private final DurableEnd durable;
    private volatile boolean closed;

    private PartitionLog(Builder b, LogLoader.Result loaded) {
        this.dir = b.dir;
        this.topic = b.topic;
        this.partition = b.partition;
        this.topicId = b.topicId;
        this.config = b.config;
        this.time = b.time;
        this.policy = b.policy;
        this.producerState = b.producerState;
        this.epochCache = b.epochCache;
        this.onDirty = b.onDirty;
        this.onTruncated = b.onTruncated;
        this.segments = loaded.segments();
        this.logEndOffset = loaded.logEndOffset();
        this.durable = new DurableEnd(loaded.logEndOffset());
        this.logPrefix = "[Log " + topic + "-" + partition + "] ";
        this.retention = new LogRetention(segments, epochCache, producerState, b.segmentDeleter,
                loaded.logStartOffset(), topic + "-" + partition, logPrefix);
        this.highWatermark = clamp(b.highWatermark, loaded.logStartOffset(), logEndOffset);
    }

    /** Everything needed to open a partition directory; used by {@link LogManager}. */
    static final class Builder {
        Path dir;
        String topic;
        int partition;
        UUID topicId;
        LogConfig config;
        Time time;
        FlushPolicy policy;
        boolean cleanShutdown;
        long recoveryPoint;
        long logStartOffset;
        long highWatermark;
        Consumer<PartitionLog> onDirty = log -> { };
        /** Called under the append lock with the new log end offset after a truncation. */
        LongConsumer onTruncated = end -> { };
        Consumer<LogSegment> segmentDeleter = LogRetention::deleteNow;
        ProducerStateManager producerState;
        LeaderEpochCache epochCache;

        PartitionLog load() throws IOException {
            producerState = new ProducerStateManager(dir);
            epochCache = new LeaderEpochCache(dir);
            LogLoader.Result loaded = new LogLoader(dir, config, time, producerState, epochCache)
                    .load(cleanShutdown, recoveryPoint, logStartOffset);
            return new PartitionLog(this, loaded);
        }
    }

    /**
     * Validates and appends the batches a producer sent, assigning offsets from the log end.
     *
     * @param records     one or more v2 record batches between position and limit; patched in place
     * @param leaderEpoch the leader epoch stamped into every batch
     * @return where the batches were written; if every batch retries an idempotent batch already
     *         written, the original offsets with {@code duplicate} set, and nothing is written
     * @throws MillraceException CORRUPT_MESSAGE, INVALID_RECORD, INVALID_TIMESTAMP, MESSAGE_TOO_LARGE,
     *                           RECORD_LIST_TOO_LARGE, OUT_OF_ORDER_SEQUENCE_NUMBER,
     *                           INVALID_PRODUCER_EPOCH or KAFKA_STORAGE_ERROR; nothing was written
     */
    public AppendInfo appendAsLeader(ByteBuffer records, int leaderEpoch) {
        LogConfig cfg = config;
        List<BatchHeader> batches = BatchValidator.validate(records, cfg, time.milliseconds());
        AppendInfo info;
        lock.lock();
        try {
            ensureOpen();
            info = appendValidated(records, batches, leaderEpoch, cfg);
        } catch (IOException e) {
            closed = true;
            throw new MillraceException(ErrorCode.KAFKA_STORAGE_ERROR, logPrefix + "Append failed; log taken offline", e);
        } finally {
            lock.unlock();
        }
        if (!info.duplicate()) {
            onDirty.accept(this);
        }
        return info;
    }

    private AppendInfo appendValidated(ByteBuffer records, List<BatchHeader> batches, int leaderEpoch, LogConfig cfg)
            throws IOException {
        ProducerStateManager.Staging staging = producerState.stage();
        boolean logAppendTime = cfg.messageTimestampTypeLogAppend();
        ProducerStateManager.Retry retry = staging.findRetry(batches, logPrefix);
        if (retry != null) {
            return new AppendInfo(retry.first().firstOffset(), retry.last().lastOffset(),
                    logAppendTime ? retry.first().timestampMs() : -1, retention.logStartOffset(), retry.recordCount(),
                    true);
        }
        long now = time.milliseconds();
        long firstOffset = logEndOffset;
        long next = firstOffset;
        int recordCount = 0;
        for (BatchHeader batch : batches) {
            staging.append(batch, next, logAppendTime ? now : batch.maxTimestamp());
            next += batch.lastOffsetDelta() + 1L;
            recordCount += batch.recordCount();
        }
        List<BatchHeader> assigned = new ArrayList<>(batches.size());
        long offset = firstOffset;
        for (BatchHeader batch : batches) {
            int pos = (int) batch.position();
            BatchFormat.assignOffsets(records, batch, offset, leaderEpoch, logAppendTime, now);
            assigned.add(BatchHeader.read(records, pos, pos));
            offset += batch.lastOffsetDelta() + 1L;
        }
        LogSegment segment = maybeRoll(records.remaining(), next - 1, now, cfg);
        segment.append(records, assigned);
        staging.commit();
        epochCache.assign(leaderEpoch, firstOffset);
        logEndOffset = next;
        return new AppendInfo(firstOffset, next - 1, logAppendTime ? now : -1, retention.logStartOffset(), recordCount,
                false);
    }

    /** Rolls when the append would overflow the segment, the segment is too old, or an index is full. */
    private LogSegment maybeRoll(int appendBytes, long lastOffset, long now, LogConfig cfg) throws IOException {
        LogSegment active = segments.lastEntry().getValue();
        boolean full = active.size() > cfg.segmentBytes() - appendBytes;
        boolean old = active.size() > 0 && active.timeWaitedForRollMs(now) > cfg.segmentMs();
        boolean offsetOverflow = lastOffset - active.baseOffset() > Integer.MAX_VALUE;
        if (full || old || active.indexesFull() || offsetOverflow) {
            return roll(now);
        }
        return active;
    }

    private LogSegment roll(long now) throws IOException {
        long newBase = logEndOffset;
        LogSegment active = segments.lastEntry().getValue();
        if (active.baseOffset() == newBase) {
            return active;
        }
        active.onBecomeInactive();
        LogSegment segment = LogSegment.create(dir, newBase, config, now);
        segments.put(newBase, segment);
        producerState.takeSnapshot(newBase);
        fsyncDirectory();
        return segment;
    }

    private void fsyncDirectory() throws IOException {
        LogRetention.fsyncDirectory(dir);
    }

    /** The live segment map, for the log cleaner, which reads sealed segments without the lock. */
    ConcurrentSkipListMap<Long, LogSegment> segmentMap() {
        return segments;
    }

    /**
     * Swaps a cleaned segment in for the segments it replaces, under the append lock (see
     * {@link LogRetention#replaceSegments}); false when the log changed meanwhile or is closed.
     */
    boolean replaceSegments(List<LogSegment> replaced, LogSegment cleaned) throws IOException {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            return retention.replaceSegments(replaced, cleaned, dir);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whole batches from {@code startOffset}, within one segment.
     *
     * @param maxOffsetExclusive only batches ending below this are returned (e.g. the high watermark)
     * @param minOneBatch        return the first batch even if it is larger than {@code maxBytes}
     * @throws MillraceException OFFSET_OUT_OF_RANGE if startOffset is outside [logStart, logEnd]
     */
    public FetchData read(long startOffset, int maxBytes, long maxOffsetExclusive, boolean minOneBatch) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes " + maxBytes + " must be >= 0");
        }
        long end = logEndOffset;
        long start = retention.logStartOffset();
        if (startOffset < start || startOffset > end) {
            throw new MillraceException(ErrorCode.OFFSET_OUT_OF_RANGE, "Offset " + startOffset
                    + " is out of range for " + topic + "-" + partition + ": log start " + start + ", log end " + end);
        }
        long limit = Math.min(maxOffsetExclusive, end);
        try {
            if (startOffset < limit) {
                Map.Entry<Long, LogSegment> entry = segments.floorEntry(startOffset);
                while (entry != null) {
                    // A segment followed by one starting at or below the limit is readable to its end.
                    Long nextBase = segments.higherKey(entry.getKey());
                    long segmentLimit = nextBase != null && nextBase <= limit ? Long.MAX_VALUE : limit;
                    FileSlice slice = entry.getValue().read(startOffset, maxBytes, segmentLimit, minOneBatch);
                    if (slice != null) {
                        return new FetchData(slice, start);
                    }
                    entry = segments.higherEntry(entry.getKey());
                }
            }
            LogSegment active = segments.lastEntry().getValue();
            return new FetchData(new FileSlice(active.channel(), active.size(), 0), start);
        } catch (IOException e) {
            throw new MillraceException(ErrorCode.KAFKA_STORAGE_ERROR, logPrefix + "Read failed at offset " + startOffset, e);
        }
    }

    /** ListOffsets by timestamp: the first record with timestamp >= {@code timestampMs}. */
    public Optional<TimestampOffset> offsetForTimestamp(long timestampMs) {
        try {
            return TimestampLookup.firstAtOrAfter(segments.values(), timestampMs, retention.logStartOffset());
        } catch (IOException e) {
            throw new MillraceException(ErrorCode.KAFKA_STORAGE_ERROR, logPrefix + "Timestamp lookup failed", e);
        }
    }

    /** ListOffsets MAX_TIMESTAMP: the record with the largest timestamp, the first one on ties. */
    public Optional<TimestampOffset> offsetOfMaxTimestamp() {
        try {
            return TimestampLookup.maxTimestamp(segments.values(), retention.logStartOffset());
        } catch (IOException e) {
            throw new MillraceException(ErrorCode.KAFKA_STORAGE_ERROR, logPrefix + "Timestamp lookup failed", e);
        }
    }

    /** OffsetForLeaderEpoch answer for {@code epoch}. */
    public EpochEndOffset endOffsetForEpoch(int epoch) {
        return epochCache.endOffsetFor(epoch, logEndOffset);
    }

    /** The latest leader epoch written to this log, or -1. */
    public int latestEpoch() {
        return epochCache.latestEpoch();
    }

    /**
     * A future completing once everything up to and including {@code offset} is on disk. Under
     * RELAXED it is already complete. Completions run on a flusher thread.
     */
    public CompletableFuture<Void> awaitDurable(long offset) {
        if (policy == FlushPolicy.RELAXED) {
            return CompletableFuture.completedFuture(null);
        }
        return durable.await(offset);
    }

    /** Offset below which every byte has been fsynced. */
    public long durableEndOffset() {
        return durable.get();
    }

    /** Called on a flusher thread with the new durable end offset after each flush that moves it. */
    public void addFlushListener(LongConsumer listener) {
        durable.addListener(listener);
    }

    /**
     * fsyncs every segment holding offsets between the durable end and the log end as it was when
     * the flush began, then completes the waiters it covers. Does nothing after a failed flush.
     * Called by a flusher thread.
     */
    void flush() throws IOException {
        durable.flush(() -> logEndOffset, this::fsyncSegments);
    }

    /** The segments now, oldest first. */
    List<LogSegment> segmentsInOrder() {
        return List.copyOf(segments.values());
    }

    private void fsyncSegments(long from, long to) throws IOException {
        Long startKey = segments.floorKey(from);
        LogSegment active = segments.lastEntry().getValue();
        for (LogSegment segment : segments.tailMap(startKey == null ? segments.firstKey() : startKey).values()) {
            if (segment.baseOffset() >= to) {
                break;
            }
            segment.flushLog();
            if (segment != active) {
                segment.flushIndexes();
            }
        }
    }

    /**
     * The first half of a flush by a file-system-wide sync ({@link FileSystemSync}): what the
     * sync that starts after this call will make durable, or null if everything is durable already.
     */
    DurableEnd.Target beginFlush() {
        return durable.begin(() -> logEndOffset);
    }

    /**
     * The second half, once that sync has returned. If the log was truncated meanwhile nothing is
     * credited, and the log is marked dirty so that a flush of its own covers it.
     */
    void completeFlush(DurableEnd.Target synced) {
        if (!durable.complete(synced)) {
            onDirty.accept(this);
        }
    }

    /**
     * After the flusher could not fsync this log: takes it offline (appends fail with
     * KAFKA_STORAGE_ERROR, as Kafka takes a log directory offline), fails the durability waiters,
     * and credits nothing as durable any more: a later fsync could succeed over lost data.
     */
    void onFlushFailed(IOException cause) {
        closed = true;
        durable.fail(new MillraceException(ErrorCode.KAFKA_STORAGE_ERROR, logPrefix + "fsync failed", cause));
    }

    public long logStartOffset() {
        return retention.logStartOffset();
    }

    public long logEndOffset() {
        return logEndOffset;
    }

    public long highWatermark() {
        return highWatermark;
    }

    /** Sets the high watermark the broker computed, clamped to [logStart, logEnd]. */
    public void updateHighWatermark(long offset) {
        lock.lock();
        try {
            highWatermark = clamp(offset, retention.logStartOffset(), logEndOffset);
        } finally {
            lock.unlock();
        }
    }

    private static long clamp(long value, long min, long max) {
        return Math.max(min, Math.min(max, value));
    }

    /**
     * DeleteRecords: moves the log start to {@code offset} and deletes segments wholly below it.
     *
     * @return the new log start offset
     * @throws MillraceException OFFSET_OUT_OF_RANGE if offset is beyond the high watermark
     */
    public long deleteRecordsBefore(long offset) {
        lock.lock();
        try {
            ensureOpen();
            return retention.deleteRecordsBefore(offset, highWatermark);
        } catch (IOException e) {
            throw new MillraceException(ErrorCode.KAFKA_STORAGE_ERROR, logPrefix + "DeleteRecords failed", e);
        } finally {
            lock.unlock();
        }
    }

    /** One retention pass (see {@link LogRetention#deleteOldSegments}); returns the number of segments deleted. */
    int deleteOldSegments() throws IOException {
        lock.lock();
        try {
            if (closed) {
                return 0;
            }
            return retention.deleteOldSegments(config, time.milliseconds(), highWatermark, sizeBytes());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes every batch holding an offset >= {@code offset} (a batch straddling it goes whole),
     * then truncates the indexes, leader epoch cache and producer state to match. For replication:
     * a follower calls it with the leader's epoch end offset.
     */
    public void truncateTo(long offset) {
        lock.lock();
        try {
            ensureOpen();
            synchronized (durable) {
                if (offset >= logEndOffset) {
                    return;
                }
                if (offset <= segments.firstKey()) {
                    truncateFullyAndStartAt(Math.max(0, offset));
                } else {
                    truncateWithinLog(offset);
                }
                highWatermark = clamp(highWatermark, retention.logStartOffset(), logEndOffset);
                durable.truncated(logEndOffset);
            }
            long start = Math.max(producerState.loadLatestSnapshot(logEndOffset), retention.logStartOffset());
            LogLoader.replay(segments, start, producerState::replay);
            onTruncated.accept(logEndOffset);
        } catch (IOException e) {
            closed = true;
            throw new MillraceException(ErrorCode.KAFKA_STORAGE_ERROR, logPrefix + "Truncation failed", e);
        } finally {
            lock.unlock();
        }
    }

    private void truncateWithinLog(long offset) throws IOException {
        retention.retireSegmentsFrom(offset);
        LogSegment active = segments.lastEntry().getValue();
        int cut = active.truncateTo(offset);
        active.makeActive();
        long before = logEndOffset;
        logEndOffset = active.readNextOffset();
        epochCache.truncateFromEnd(logEndOffset);
        LOG.info("{}Truncated to offset {} (log end was {}, now {}; {} bytes cut from the last segment)",
                logPrefix, offset, before, logEndOffset, cut);
    }

    private void truncateFullyAndStartAt(long offset) throws IOException {
        retention.retireSegmentsFrom(Long.MIN_VALUE);
        segments.put(offset, LogSegment.create(dir, offset, config, time.milliseconds()));
        ProducerSnapshotFile.deleteAbove(dir, -1);
        producerState.clear();
        epochCache.clear();
        retention.resetLogStartOffset(offset);
        logEndOffset = offset;
        LOG.info("{}Truncated fully; log now starts at {}", logPrefix, offset);
    }

    public void updateConfig(LogConfig newConfig) {
        this.config = java.util.Objects.requireNonNull(newConfig, "newConfig");
    }

    public LogConfig config() {
        return config;
    }

    /** Bytes in all segment files. */
    public long sizeBytes() {
        long total = 0;
        for (LogSegment segment : segments.values()) {
            total += segment.size();
        }
        return total;
    }

    int segmentCount() {
        return segments.size();
    }

    List<Long> segmentBaseOffsets() {
        return new ArrayList<>(segments.keySet());
    }

    public Path dir() {
        return dir;
    }

    public String topic() {
        return topic;
    }

    public int partition() {
        return partition;
    }

    public UUID topicId() {
        return topicId;
    }

    void setTopicId(UUID id) {
        this.topicId = id;
    }

    private void ensureOpen() {
        if (closed) {
            throw new MillraceException(ErrorCode.KAFKA_STORAGE_ERROR, logPrefix + "Log is closed");
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Flushes, writes a producer state snapshot, seals and closes every segment. */
    void close() throws IOException {
        lock.lock();
        try {
            if (closed && segments.isEmpty()) {
                return;
            }
            closed = true;
            flush(); // does nothing after a failed fsync
            producerState.takeSnapshot(logEndOffset);
            for (LogSegment segment : segments.values()) {
                segment.close();
            }
            segments.clear();
        } finally {
            lock.unlock();
            durable.failWaiters(new MillraceException(ErrorCode.KAFKA_STORAGE_ERROR, logPrefix + "Log closed"));
        }
    }

    /** Closes without flushing, for a log that is being deleted. */
    void closeWithoutFlush() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
        durable.failWaiters(new MillraceException(ErrorCode.KAFKA_STORAGE_ERROR, logPrefix + "Log deleted"));
    }

    /** Closes every segment's files; used after {@link #closeWithoutFlush()} once readers are done. */
    void releaseFiles() {
        retention.releaseAll();
    }

    @Override
    public String toString() {
        return "PartitionLog(" + topic + "-" + partition + ", start=" + retention.logStartOffset() + ", end=" + logEndOffset
                + ", hw=" + highWatermark + ")";
    }
}
