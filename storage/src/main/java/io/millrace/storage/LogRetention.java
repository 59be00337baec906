package io.millrace.storage;

import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.MillraceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/**
 * The start of one partition log: owns the log start offset and everything that moves it forward
 * by deleting whole sealed segments from the oldest end, namely DeleteRecords
 * ({@link #deleteRecordsBefore}) and retention by {@code retention.ms} and {@code retention.bytes}
 * ({@link #deleteOldSegments}). When the log start passes a segment, the leader epoch cache and the
 * producer snapshots are trimmed to match. Never deletes the active segment, nor a segment holding
 * data at or above the high watermark (as Kafka).
 *
 * <p>It also owns handing removed segments over for deletion, including those truncation removes
 * ({@link #retireSegmentsFrom}): a segment's files are renamed for delete at once and the segment is
 * passed to the segment deleter, which closes and removes them later ({@link LogManager} waits
 * {@code fileDeleteDelayMs}) so a slice already handed to the network stays readable, or at once
 * ({@link #deleteNow}) when there is no scheduler. {@link #releaseAll} does the same at once for
 * every segment of a deleted log, once its delay has passed.
 *
 * <p>Thread-safety: not thread-safe on its own. Every method except {@link #logStartOffset()} must
 * be called with the owning {@link PartitionLog}'s append lock held, which serialises it with
 * appends, rolls and truncation. {@link #logStartOffset()} is a volatile read and may be called
 * without a lock, by readers.
 */
final class LogRetention {
    private static final Logger LOG = LoggerFactory.getLogger(LogRetention.class);

    private final ConcurrentSkipListMap<Long, LogSegment> segments;
    private final LeaderEpochCache epochCache;
    private final ProducerStateManager producerState;
    private final Consumer<LogSegment> segmentDeleter;
    private final String topicPartition;
    private final String logPrefix;
    private volatile long logStartOffset;

    LogRetention(ConcurrentSkipListMap<Long, LogSegment> segments, LeaderEpochCache epochCache,
                 ProducerStateManager producerState, Consumer<LogSegment> segmentDeleter, long logStartOffset,
                 String topicPartition, String logPrefix) {
        this.segments = segments;
        this.epochCache = epochCache;
        this.producerState = producerState;
        this.segmentDeleter = segmentDeleter;
        this.logStartOffset = logStartOffset;
        this.topicPartition = topicPartition;
        this.logPrefix = logPrefix;
    }

    /** The default segment deleter: closes and deletes the segment's files at once. */
    static void deleteNow(LogSegment segment) {
        try {
            segment.closeAndDelete();
        } catch (IOException e) {
            LOG.warn("Cannot delete {}", segment, e);
        }
    }

    long logStartOffset() {
        return logStartOffset;
    }

    /** Sets the log start after the log was truncated fully and restarted at {@code offset}. */
    void resetLogStartOffset(long offset) {
        logStartOffset = offset;
    }

    /**
     * For truncation: removes every segment whose base offset is {@code baseOffset} or more from the
     * segment map and hands it over for deletion ({@code Long.MIN_VALUE} removes them all).
     */
    void retireSegmentsFrom(long baseOffset) throws IOException {
        for (Long base : new ArrayList<>(segments.tailMap(baseOffset, true).keySet())) {
            retire(segments.remove(base));
        }
    }

    /**
     * Closes and deletes every segment's files at once, for a log that was deleted and whose
     * readers are done ({@link LogManager} calls this after {@code fileDeleteDelayMs}).
     */
    void releaseAll() {
        for (LogSegment segment : segments.values()) {
            try {
                segment.closeAndDelete();
            } catch (IOException e) {
                LOG.warn("{}Cannot release {}", logPrefix, segment, e);
            }
        }
        segments.clear();
    }

    /** Renames a segment already removed from the segment map for delete and passes it to the deleter. */
    private void retire(LogSegment segment) throws IOException {
        segment.renameForDelete();
        segmentDeleter.accept(segment);
    }

    /**
     * The log cleaner's swap (Kafka's {@code replaceSegments}): puts {@code cleaned}, whose files end
     * in {@code .cleaned}, in place of {@code replaced}, adjacent sealed segments whose first has the
     * cleaned segment's base offset. The cleaned files are renamed to {@code .swap} (a crash from
     * here on completes the swap at load), the new segment enters the map before the old ones leave
     * it so a reader always finds every offset, the old ones are renamed for delete and handed to
     * the delayed deleter, and the {@code .swap} suffix is dropped.
     *
     * @return false, changing nothing, when a replaced segment is no longer in the map or has become
     *         the active segment (retention or truncation ran meanwhile)
     */
    boolean replaceSegments(List<LogSegment> replaced, LogSegment cleaned, Path dir) throws IOException {
        for (LogSegment old : replaced) {
            if (segments.get(old.baseOffset()) != old || segments.lastKey() == old.baseOffset()) {
                return false;
            }
        }
        cleaned.changeFileSuffix(LogSegment.CLEANED_SUFFIX, LogSegment.SWAP_SUFFIX);
        fsyncDirectory(dir);
        segments.put(cleaned.baseOffset(), cleaned);
        for (LogSegment old : replaced) {
            if (old.baseOffset() != cleaned.baseOffset()) {
                segments.remove(old.baseOffset());
            }
        }
        try {
            for (LogSegment old : replaced) {
                retire(old);
            }
        } finally {
            cleaned.changeFileSuffix(LogSegment.SWAP_SUFFIX, "");
            fsyncDirectory(dir);
        }
        return true;
    }

    /** fsyncs a directory so that renames and creations in it survive a power loss. */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /**
     * DeleteRecords: moves the log start to {@code offset} and deletes segments wholly below it.
     *
     * @return the new log start offset
     * @throws MillraceException OFFSET_OUT_OF_RANGE if offset is beyond the high watermark
     */
    long deleteRecordsBefore(long offset, long highWatermark) throws IOException {
        if (offset > highWatermark) {
            throw new MillraceException(ErrorCode.OFFSET_OUT_OF_RANGE, "Cannot move the log start offset of "
                    + topicPartition + " to " + offset + ": beyond the high watermark " + highWatermark);
        }
        if (offset > logStartOffset) {
            logStartOffset = offset;
            epochCache.truncateFromStart(offset);
        }
        deleteSegmentsWhile(highWatermark, (segment, nextBase) -> nextBase <= logStartOffset);
        return logStartOffset;
    }

    /**
     * Retention: deletes the oldest sealed segments that are past {@code retention.ms} or make the
     * log exceed {@code retention.bytes}, or lie wholly below the log start. Time and size
     * retention apply only when {@code cleanup.policy} contains {@code delete}, as in Kafka.
     *
     * @param sizeBytes the bytes in all segment files now
     * @return number of segments deleted
     */
    int deleteOldSegments(LogConfig cfg, long now, long highWatermark, long sizeBytes) throws IOException {
        int deleted = deleteSegmentsWhile(highWatermark, (segment, nextBase) -> nextBase <= logStartOffset);
        if (!cfg.delete()) {
            return deleted;
        }
        if (cfg.retentionMs() >= 0) {
            deleted += deleteSegmentsWhile(highWatermark, (segment, nextBase) ->
                    now - largestTimestamp(segment) > cfg.retentionMs());
        }
        if (cfg.retentionBytes() >= 0) {
            long[] excess = {sizeBytes - cfg.retentionBytes()};
            deleted += deleteSegmentsWhile(highWatermark, (segment, nextBase) -> {
                if (excess[0] - segment.size() < 0) {
                    return false;
                }
                excess[0] -= segment.size();
                return true;
            });
        }
        return deleted;
    }

    private static long largestTimestamp(LogSegment segment) {
        try {
            return segment.largestTimestamp();
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    private interface SegmentPredicate {
        boolean test(LogSegment segment, long nextBase);
    }

    /** Deletes sealed segments from the oldest on while the predicate holds and they lie below the high watermark. */
    private int deleteSegmentsWhile(long highWatermark, SegmentPredicate predicate) throws IOException {
        int deleted = 0;
        while (segments.size() > 1) {
            Map.Entry<Long, LogSegment> first = segments.firstEntry();
            long nextBase = segments.higherKey(first.getKey());
            if (highWatermark < nextBase || !predicate.test(first.getValue(), nextBase)) {
                break;
            }
            segments.remove(first.getKey());
            retire(first.getValue());
            deleted++;
            if (nextBase > logStartOffset) {
                logStartOffset = nextBase;
                epochCache.truncateFromStart(nextBase);
            }
        }
        if (deleted > 0) {
            producerState.deleteSnapshotsBelow(segments.firstKey());
            LOG.info("{}Deleted {} old segment(s); log start offset is now {}", logPrefix, deleted, logStartOffset);
        }
        return deleted;
    }
}
