package io.millrace.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * {@code log.page.cache.retain.bytes}: after each flush of a partition, drops that partition's
 * flushed data from the OS page cache except its newest {@code retainBytes / number of partitions}
 * bytes, so the cache holds about {@code retainBytes} of this directory's log data and new writes
 * reuse the memory of dropped pages instead of taking memory the cache has not used yet.
 *
 * <p>Why: on this project's benchmark machine (a virtual machine whose balloon driver hands free
 * memory back to the host), the first write into memory the guest has not touched recently costs
 * 5-8 µs of CPU per 4 KiB page, against 1-3 µs for memory the page cache just released. Under
 * issue 4's W2 that was most of the broker's CPU. The price: a consumer reading further back
 * than what is retained reads from disk, as it would once the cache was full anyway.
 *
 * <p>Dropping is only ever a hint to the kernel ({@code POSIX_FADV_DONTNEED}): dirty pages stay
 * cached until written back, so no data can be lost, and a dropped page that is read again is
 * read from disk. Drops run on one thread of their own ({@code millrace-page-cache}), in steps of
 * at least {@link #STEP_BYTES}, coalesced per partition.
 *
 * <p>Thread-safety: {@link #onFlushed} and {@link #forget} may be called from any thread; the
 * marks of what was dropped are touched only by the drop thread.
 */
final class PageCacheLimit implements AutoCloseable {
    /** Drops no less than this per call, so that a busy partition costs a few calls per second. */
    static final long STEP_BYTES = 1 << 20;
    private static final long PAGE_BYTES = 4096;
    private static final Logger LOG = LoggerFactory.getLogger(PageCacheLimit.class);

    /** Drops the cached pages of {@code length} bytes of a file from {@code offset}. */
    interface Dropper {
        void drop(Path file, long offset, long length) throws IOException;
    }

    /** What was dropped: the segments below {@code segmentBase}, and {@code position} bytes of it. */
    record Mark(long segmentBase, long position) {
        static final Mark NONE = new Mark(Long.MIN_VALUE, 0);
    }

    private final long retainBytes;
    private final IntSupplier partitions;
    private final ExecutorService thread;
    private final Set<PartitionLog> queued = ConcurrentHashMap.newKeySet();
    private final Map<PartitionLog, Mark> marks = new ConcurrentHashMap<>();
    private final AtomicLong droppedBytes = new AtomicLong();
    /** Null until the first drop links {@code posix_fadvise} (unless a test supplied it). */
    private Dropper dropper;
    /** Set when linking failed: the JVM cannot drop pages, and the kernel alone decides. */
    private boolean unavailable;

    /**
     * @param retainBytes how much flushed data, over all partitions, stays cached (at least 0)
     * @param partitions  how many partitions share it now
     * @param dropper     the drop itself; null to link {@code posix_fadvise} at the first drop
     */
    PageCacheLimit(long retainBytes, IntSupplier partitions, Dropper dropper) {
        if (retainBytes < 0) {
            throw new IllegalArgumentException("retainBytes " + retainBytes + " must be >= 0");
        }
        this.retainBytes = retainBytes;
        this.partitions = partitions;
        this.dropper = dropper;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "millrace-page-cache");
            t.setDaemon(true);
            return t;
        });
    }

    /** After a flush of {@code log}: queues a drop of what it no longer retains, unless one is queued. */
    void onFlushed(PartitionLog log) {
        if (!queued.add(log)) {
            return;
        }
        try {
            thread.execute(() -> {
                queued.remove(log);
                dropBehind(log);
            });
        } catch (RejectedExecutionException closed) {
            queued.remove(log);
        }
    }

    /** Forgets a deleted or closed log. */
    void forget(PartitionLog log) {
        try {
            thread.execute(() -> marks.remove(log));
        } catch (RejectedExecutionException closed) {
            // nothing is kept after close
        }
    }

    /** Bytes whose pages were dropped from the page cache so far (whether or not they were cached). */
    long droppedBytes() {
        return droppedBytes.get();
    }

    /** What one partition retains now. */
    long retainPerPartition() {
        return retainBytes / Math.max(1, partitions.getAsInt());
    }

    /** Runs on the drop thread. */
    private void dropBehind(PartitionLog log) {
        if (unavailable) {
            return;
        }
        if (dropper == null) {
            Optional<NativeFs> natives = NativeFs.link("log.page.cache.retain.bytes",
                    "the page cache keeps all log data");
            if (natives.isEmpty()) {
                unavailable = true;
                return;
            }
            dropper = natives.get()::dropFromPageCache;
        }
        Mark mark = marks.getOrDefault(log, Mark.NONE);
        Mark next;
        try {
            next = dropBehind(log.segmentsInOrder(), retainPerPartition(), mark, (file, offset, length) -> {
                dropper.drop(file, offset, length);
                droppedBytes.addAndGet(length);
            });
        } catch (IOException e) {
            // A segment deleted or renamed meanwhile (retention, compaction); the next flush retries.
            LOG.debug("{}-{}: page cache drop skipped: {}", log.topic(), log.partition(), e.toString());
            return;
        }
        if (next != mark) {
            marks.put(log, next);
        }
    }

    /**
     * Drops, in {@code segments} (oldest first), what lies more than {@code retain} bytes before the
     * end and was not dropped yet according to {@code mark}; returns the new mark.
     */
    static Mark dropBehind(List<LogSegment> segments, long retain, Mark mark, Dropper dropper) throws IOException {
        long remaining = retain;
        int boundary = segments.size() - 1;
        while (boundary >= 0 && segments.get(boundary).size() <= remaining) {
            remaining -= segments.get(boundary).size();
            boundary--;
        }
        if (boundary < 0) {
            return mark;
        }
        LogSegment last = segments.get(boundary);
        for (LogSegment older : segments.subList(0, boundary)) {
            if (older.baseOffset() >= mark.segmentBase() && older.size() > 0) {
                dropper.drop(older.logFile(), 0, older.size());
            }
        }
        Mark current = last.baseOffset() == mark.segmentBase() ? mark : new Mark(last.baseOffset(), 0);
        long end = (last.size() - remaining) / PAGE_BYTES * PAGE_BYTES;
        long from = Math.min(current.position(), end); // a truncated segment starts over from its new end
        if (end - from < STEP_BYTES) {
            return current.position() == from ? current : new Mark(current.segmentBase(), from);
        }
        dropper.drop(last.logFile(), from, end - from);
        return new Mark(current.segmentBase(), end);
    }

    @Override
    public void close() throws InterruptedException {
        thread.shutdownNow();
        thread.awaitTermination(10, TimeUnit.SECONDS);
        marks.clear();
    }
}
