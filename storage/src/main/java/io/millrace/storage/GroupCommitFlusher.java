package io.millrace.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The group-commit threads of the DURABLE flush policy (BookKeeper's journal idea): appends mark
 * their log dirty, and a flusher thread fsyncs the log once, covering all appends that arrived
 * meanwhile, then completes the log's waiters.
 *
 * <p>Several threads take dirty logs from one queue, so fsyncs of different logs overlap and the
 * disk works on several at once: fsyncing 1,000 files that each had a 1 KB append took 138 ms one
 * after another and 41 ms from 16 threads. A log is flushed by one thread at a time; a log marked
 * dirty while it is being flushed is queued again when that flush ends, and the thread that
 * flushed it usually takes it straight back, so one busy log gets back-to-back fsyncs as before.
 *
 * <p>The queue is the set of dirty logs, so it is bounded by the number of logs however fast
 * producers append. Thread-safety: {@link #markDirty} is called from any append thread; the sets
 * are guarded by this object's monitor; fsyncs run only on the flusher threads, never a caller's.
 */
final class GroupCommitFlusher {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitFlusher.class);

    private final Set<PartitionLog> dirty = new LinkedHashSet<>();
    /** Logs a thread is flushing now. */
    private final Set<PartitionLog> flushing = new HashSet<>();
    /** Logs marked dirty while being flushed: queued again when their flush ends. */
    private final Set<PartitionLog> dirtyAgain = new HashSet<>();
    private final List<Thread> threads = new ArrayList<>();
    private boolean running = true;

    GroupCommitFlusher(int threadCount) {
        if (threadCount < 1) {
            throw new IllegalArgumentException("threadCount " + threadCount + " < 1");
        }
        for (int i = 0; i < threadCount; i++) {
            Thread thread = new Thread(this::run, "millrace-log-flusher-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
    }

    void start() {
        threads.forEach(Thread::start);
    }

    synchronized void markDirty(PartitionLog log) {
        if (flushing.contains(log)) {
            dirtyAgain.add(log);
        } else if (dirty.add(log)) {
            notify();
        }
    }

    private void run() {
        PartitionLog flushed = null;
        while (true) {
            PartitionLog next;
            synchronized (this) {
                if (flushed != null) {
                    flushing.remove(flushed);
                    if (dirtyAgain.remove(flushed)) {
                        dirty.add(flushed);
                    }
                }
                while (running && dirty.isEmpty()) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (dirty.isEmpty()) {
                    return;
                }
                Iterator<PartitionLog> oldest = dirty.iterator();
                next = oldest.next();
                oldest.remove();
                flushing.add(next);
                if (!dirty.isEmpty()) {
                    notify(); // more work than this thread: wake another
                }
            }
            flushOne(next);
            flushed = next;
        }
    }

    private static void flushOne(PartitionLog log) {
        try {
            if (!log.isClosed()) {
                log.flush();
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("[Log {}-{}] fsync failed; waiting produce requests fail with KAFKA_STORAGE_ERROR",
                    log.topic(), log.partition(), e);
            log.onFlushFailed(e instanceof IOException io ? io : new IOException(e));
        }
    }

    /** Flushes the logs that are dirty, then stops the threads. */
    void stop() throws InterruptedException {
        synchronized (this) {
            running = false;
            notifyAll();
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }
}
