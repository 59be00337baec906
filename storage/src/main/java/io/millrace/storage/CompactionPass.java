package io.millrace.storage;

import io.millrace.protocol.records.CompactedBatches;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One cleaning of one compacted partition log, as Kafka's {@code Cleaner.doClean}:
 *
 * <ol>
 *   <li>{@link #plan}: the cleanable section is every sealed segment wholly below the first
 *       uncleanable offset, which is the lowest of the active segment's base offset, the high
 *       watermark and the base of the first dirty segment holding a record newer than
 *       {@code min.compaction.lag.ms}. Segments at or after the cleaner checkpoint are dirty.</li>
 *   <li>{@link #clean}: a key → latest offset map is built over the dirty segments (up to a
 *       segment boundary where the map fills), then every segment up to the end of the mapped
 *       section is rewritten into {@code .cleaned} segments, adjacent segments grouped while the
 *       group fits {@code segment.bytes}, keeping a record only when it is the latest for its key
 *       (or its key is not in the map), it has a key, and, for a tombstone, its batch's delete
 *       horizon has not passed. A kept tombstone stamps its batch with the horizon
 *       {@code now + delete.retention.ms} (KIP-534). Offsets, codecs and header fields are
 *       preserved by {@link CompactedBatches}; batches left empty are dropped; indexes are built
 *       as the cleaned segment is written.</li>
 *   <li>Each cleaned segment is fsynced and swapped in under the partition lock
 *       ({@link PartitionLog#replaceSegments}); the old files go to the delayed deleter.</li>
 * </ol>
 *
 * <p>The active segment is never read or written. Reads of sealed segments take no lock: sealed
 * segments are immutable until retention or truncation removes them, which the swap detects.
 * Not thread-safe: runs on the cleaner thread only.
 */
final class CompactionPass {

    /** A sealed segment and the base offset of the segment after it. */
    record Cleanable(LogSegment segment, long nextBaseOffset) {
    }

    /**
     * What a log offers for cleaning now.
     *
     * @param firstDirtyTimestampMs max timestamp of the first dirty batch, or -1
     */
    record Plan(long firstDirtyOffset, long firstUncleanableOffset, List<Cleanable> cleanable, long cleanBytes,
                long dirtyBytes, long firstDirtyTimestampMs) {
        double dirtyRatio() {
            long total = cleanBytes + dirtyBytes;
            return total == 0 ? 0 : (double) dirtyBytes / total;
        }
    }

    /**
     * Outcome of a cleaning.
     *
     * @param cleanedUpToOffset      the new cleaner checkpoint: everything below it is clean
     * @param minDeleteHorizonMs     the earliest delete horizon of a kept tombstone, or {@link Long#MAX_VALUE}
     */
    record Result(long cleanedUpToOffset, long minDeleteHorizonMs, int segmentsBefore, int segmentsAfter,
                  long bytesBefore, long bytesAfter) {
    }

    /** Thrown when the cleaning is given up (shutdown, or the log changed under the cleaner). */
    static final class AbortedException extends IOException {
        AbortedException(String message) {
            super(message);
        }
    }

    /** Accounts bytes read or written, waiting when a throughput limit is exceeded. */
    interface IoBudget {
        void consume(long bytes) throws IOException;
    }

    private final int readBufferBytes;
    private final long offsetMapBytes;
    private final IoBudget budget;

    CompactionPass(int readBufferBytes, long offsetMapBytes, IoBudget budget) {
        this.readBufferBytes = readBufferBytes;
        this.offsetMapBytes = offsetMapBytes;
        this.budget = budget;
    }

    /** The cleanable section of {@code log}, given the cleaner checkpoint (-1 if none). */
    static Plan plan(PartitionLog log, long checkpoint, long nowMs) throws IOException {
        LogConfig cfg = log.config();
        List<Map.Entry<Long, LogSegment>> segments = new ArrayList<>(log.segmentMap().entrySet());
        long logStart = log.logStartOffset();
        long firstDirty = checkpoint < logStart || checkpoint > log.logEndOffset() ? logStart : checkpoint;
        long highWatermark = log.highWatermark();
        List<Cleanable> cleanable = new ArrayList<>();
        long clean = 0;
        long dirty = 0;
        long firstDirtyTimestamp = -1;
        for (int i = 0; i + 1 < segments.size(); i++) {
            LogSegment segment = segments.get(i).getValue();
            long nextBase = segments.get(i + 1).getKey();
            if (nextBase > highWatermark) {
                break;
            }
            boolean isDirty = nextBase > firstDirty;
            if (isDirty && tooRecent(segment, cfg, nowMs)) {
                break;
            }
            cleanable.add(new Cleanable(segment, nextBase));
            if (!isDirty) {
                clean += segment.size();
                continue;
            }
            dirty += segment.size();
            if (firstDirtyTimestamp < 0) {
                BatchHeader first = segment.readHeader(0);
                firstDirtyTimestamp = first == null ? -1 : first.maxTimestamp();
            }
        }
        long uncleanable = cleanable.isEmpty() ? firstDirty : cleanable.get(cleanable.size() - 1).nextBaseOffset();
        return new Plan(firstDirty, uncleanable, cleanable, clean, dirty, firstDirtyTimestamp);
    }

    private static boolean tooRecent(LogSegment segment, LogConfig cfg, long nowMs) {
        if (cfg.minCompactionLagMs() <= 0) {
            return false;
        }
        TimestampOffset max = segment.maxTimestampAndOffset();
        return max != null && max.timestampMs() > nowMs - cfg.minCompactionLagMs();
    }

    /**
     * Cleans the planned section of {@code log}.
     *
     * @param evenIfClean also rewrite a section without dirty segments (to drop expired tombstones)
     * @return the result, or null when there is nothing to rewrite
     * @throws AbortedException when the log changed under the cleaner or shutdown was requested
     */
    Result clean(PartitionLog log, Plan plan, long nowMs, boolean evenIfClean) throws IOException {
        OffsetMap map = new OffsetMap(offsetMapBytes);
        SegmentBatchReader reader = new SegmentBatchReader(readBufferBytes);
        int lastMapped = -1;
        long mappedEnd = plan.firstDirtyOffset();
        for (int i = 0; i < plan.cleanable().size(); i++) {
            Cleanable c = plan.cleanable().get(i);
            if (c.nextBaseOffset() <= plan.firstDirtyOffset()) {
                continue;
            }
            if (map.isFull() && lastMapped >= 0) {
                break;
            }
            long firstDirty = plan.firstDirtyOffset();
            budget.consume(reader.forEach(c.segment(), (header, batch) -> {
                if (header.isControl() || header.lastOffset() < firstDirty) {
                    return;
                }
                CompactedBatches.forEachRecord(batch, (offset, key, tombstone) -> {
                    if (key != null && offset >= firstDirty) {
                        map.put(key, offset);
                    }
                });
            }));
            lastMapped = i;
            mappedEnd = c.nextBaseOffset();
        }
        if (lastMapped < 0) {
            if (!evenIfClean || plan.cleanable().isEmpty()) {
                return null;
            }
            lastMapped = plan.cleanable().size() - 1;
        }
        List<Cleanable> toClean = plan.cleanable().subList(0, lastMapped + 1);
        long minHorizon = Long.MAX_VALUE;
        long bytesBefore = 0;
        long bytesAfter = 0;
        List<List<Cleanable>> groups = group(toClean, log.config());
        for (List<Cleanable> group : groups) {
            for (Cleanable c : group) {
                bytesBefore += c.segment().size();
            }
            GroupResult cleaned = cleanGroup(log, group, map, reader, nowMs);
            bytesAfter += cleaned.segment().size();
            minHorizon = Math.min(minHorizon, cleaned.minDeleteHorizonMs());
        }
        return new Result(mappedEnd, minHorizon, toClean.size(), groups.size(), bytesBefore, bytesAfter);
    }

    private record GroupResult(LogSegment segment, long minDeleteHorizonMs) {
    }

    /**
     * Groups adjacent segments while their total size fits {@code segment.bytes}, the offset range
     * fits a segment's 32-bit relative offsets and the index entries fit the index files.
     */
    static List<List<Cleanable>> group(List<Cleanable> segments, LogConfig cfg) {
        List<List<Cleanable>> groups = new ArrayList<>();
        List<Cleanable> current = new ArrayList<>();
        long bytes = 0;
        long maxIndexEntries = cfg.segmentIndexBytes() / 12;
        long bytesPerEntry = Math.max(BatchFormat.HEADER_SIZE, cfg.indexIntervalBytes() + 1L);
        for (Cleanable c : segments) {
            long size = c.segment().size();
            boolean fits = !current.isEmpty()
                    && bytes + size <= cfg.segmentBytes()
                    && c.nextBaseOffset() - 1 - current.get(0).segment().baseOffset() <= Integer.MAX_VALUE
                    && (bytes + size) / bytesPerEntry + 1 <= maxIndexEntries;
            if (!fits && !current.isEmpty()) {
                groups.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(c);
            bytes += size;
        }
        if (!current.isEmpty()) {
            groups.add(current);
        }
        return groups;
    }

    private GroupResult cleanGroup(PartitionLog log, List<Cleanable> group, OffsetMap map, SegmentBatchReader reader,
                                  long nowMs) throws IOException {
        LogConfig cfg = log.config();
        long base = group.get(0).segment().baseOffset();
        long newHorizon = saturatedAdd(nowMs, cfg.deleteRetentionMs());
        LogSegment cleaned = LogSegment.create(log.dir(), base, cfg, nowMs, LogSegment.CLEANED_SUFFIX);
        long[] minHorizon = {Long.MAX_VALUE};
        boolean swapped = false;
        try {
            for (Cleanable c : group) {
                budget.consume(reader.forEach(c.segment(), (header, batch) -> {
                    long horizon = (header.attributes() & BatchFormat.DELETE_HORIZON_MASK) != 0
                            ? header.baseTimestamp() : -1;
                    CompactedBatches.Filtered kept = CompactedBatches.filter(batch,
                            (offset, key, tombstone) -> keep(map, offset, key, tombstone, horizon, nowMs), newHorizon);
                    if (kept.batch() != null) {
                        cleaned.appendBatch(kept.batch());
                        budget.consume(kept.batch().remaining());
                        if (kept.retainedTombstone()) {
                            minHorizon[0] = Math.min(minHorizon[0], kept.deleteHorizonMs());
                        }
                    }
                }));
            }
            cleaned.onBecomeInactive();
            cleaned.flushLog();
            cleaned.flushIndexes();
            List<LogSegment> replaced = new ArrayList<>(group.size());
            for (Cleanable c : group) {
                replaced.add(c.segment());
            }
            swapped = log.replaceSegments(replaced, cleaned);
            if (!swapped) {
                throw new AbortedException("Segments " + replaced + " changed while being cleaned");
            }
            return new GroupResult(cleaned, minHorizon[0]);
        } finally {
            if (!swapped && log.segmentMap().get(base) != cleaned) {
                cleaned.closeAndDelete();
            }
        }
    }

    /** Kafka's {@code shouldRetainRecord}: the latest record of its key, with a key, and no expired tombstone. */
    private static boolean keep(OffsetMap map, long offset, ByteBuffer key, boolean tombstone, long deleteHorizonMs,
                                long nowMs) {
        if (key == null) {
            return false;
        }
        if (offset < map.latestOffset(key)) {
            return false;
        }
        return !tombstone || deleteHorizonMs < 0 || nowMs < deleteHorizonMs;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
