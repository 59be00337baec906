package io.millrace.storage;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * A partition log's durable end offset: every byte below it has been fsynced. It moves forward
 * by a flush of the log's own segments ({@link #flush}) or by a sync of the whole file system
 * ({@link #begin} before it, {@link #complete} after it), back by a truncation ({@link #truncated}),
 * and never again once a flush failed ({@link #fail}): the kernel reports a writeback error once,
 * so a later fsync can succeed although data was lost.
 *
 * <p>Thread-safety: the offset, the truncation count and the failure are changed under this
 * object's monitor, which is the log's flush lock: {@link PartitionLog} holds it while it truncates
 * segments, and a flush holds it while it fsyncs them. Waiters and listeners run after the monitor
 * is released, on the flushing thread.
 */
final class DurableEnd {
    /** fsyncs the segments holding offsets from {@code from} (inclusive) to {@code to} (exclusive). */
    interface SegmentFsync {
        void fsync(long from, long to) throws IOException;
    }

    /** The log end offset a file-system sync covers, and the truncation count when it was taken. */
    record Target(long offset, long truncations) {
    }

    private final DurableWaiters waiters = new DurableWaiters();
    private volatile long offset;
    private long truncations;
    private boolean failed;

    DurableEnd(long offset) {
        this.offset = offset;
    }

    long get() {
        return offset;
    }

    /** A future completing once the durable end passes {@code target}. */
    CompletableFuture<Void> await(long target) {
        return waiters.await(target, () -> offset);
    }

    /** Called on a flusher thread with the new durable end after each flush that moves it. */
    void addListener(LongConsumer listener) {
        waiters.addListener(listener);
    }

    /**
     * fsyncs what lies between the durable end and the log end as it is now, then moves the
     * durable end there and completes the waiters it covers. Does nothing after a failed flush.
     */
    void flush(LongSupplier logEnd, SegmentFsync fsync) throws IOException {
        long target;
        synchronized (this) {
            target = logEnd.getAsLong();
            if (failed || target <= offset) {
                return;
            }
            fsync.fsync(offset, target);
            offset = target;
        }
        waiters.onFlushed(target, true);
    }

    /**
     * The first half of a flush by a file-system-wide sync ({@link FileSystemSync}): what the sync
     * that starts after this call will make durable, or null if everything is durable already.
     */
    synchronized Target begin(LongSupplier logEnd) {
        long target = logEnd.getAsLong();
        return target <= offset ? null : new Target(target, truncations);
    }

    /**
     * The second half: the sync that began after {@link #begin} has returned, so everything below
     * the target is on disk. Returns false if the log was truncated meanwhile: the target may then
     * name offsets written after the sync began, so nothing is credited and the log needs a flush
     * of its own. Credits nothing after a failed flush.
     */
    boolean complete(Target synced) {
        boolean advanced = false;
        synchronized (this) {
            if (failed) {
                return true;
            }
            if (synced.truncations() != truncations) {
                return false;
            }
            if (synced.offset() > offset) {
                offset = synced.offset();
                advanced = true;
            }
        }
        waiters.onFlushed(synced.offset(), advanced);
        return true;
    }

    /** After a truncation to {@code logEnd}; the caller holds this object's monitor. */
    void truncated(long logEnd) {
        offset = Math.min(offset, logEnd);
        truncations++;
    }

    /** After a failed flush: the durable end never moves again, and every waiter fails. */
    void fail(Throwable cause) {
        synchronized (this) {
            failed = true;
        }
        failWaiters(cause);
    }

    /** Fails every waiter, e.g. when the log is closed. */
    void failWaiters(Throwable cause) {
        waiters.failAll(cause);
    }
}
