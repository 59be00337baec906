package io.millrace.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The group-commit thread of the DURABLE flush policy (BookKeeper's journal idea): appends mark
 * their log dirty, and each round the thread fsyncs every dirty log once, covering all appends
 * that arrived meanwhile, then completes the waiters of each log.
 *
 * <p>The queue is the set of dirty logs, so it is bounded by the number of logs however fast
 * producers append. Thread-safety: {@link #markDirty} is called from any append thread; the set
 * is guarded by this object's monitor; fsyncs run only on the flusher thread, never a caller's.
 */
final class GroupCommitFlusher {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitFlusher.class);

    private final Set<PartitionLog> dirty = new LinkedHashSet<>();
    private final Thread thread;
    private boolean running = true;

    GroupCommitFlusher() {
        this.thread = new Thread(this::run, "millrace-log-flusher");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    synchronized void markDirty(PartitionLog log) {
        if (dirty.add(log) && dirty.size() == 1) {
            notifyAll();
        }
    }

    private void run() {
        while (true) {
            List<PartitionLog> round;
            synchronized (this) {
                while (running && dirty.isEmpty()) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (!running && dirty.isEmpty()) {
                    return;
                }
                round = new ArrayList<>(dirty);
                dirty.clear();
            }
            round.forEach(GroupCommitFlusher::flushOne);
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

    /** Finishes the pending round, then stops the thread. */
    void stop() throws InterruptedException {
        synchronized (this) {
            running = false;
            notifyAll();
        }
        thread.join();
    }
}
