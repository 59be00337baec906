package io.millrace.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

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
 * <p>When many logs are dirty at once (W5 of issue 4 writes 1,000 partitions), fsyncing them one
 * by one costs most of a core. Given a {@link FileSystemSync}, a thread that finds at least
 * {@code minLogsPerSyncfs} logs dirty takes them all and makes them durable with one
 * {@code syncfs}: in W5 that replaced about 5,300 fsyncs per second by about 140 syncfs calls.
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
    private final Path logDir;
    private final int minLogsPerSyncfs;
    private final AtomicLong fileSystemSyncs = new AtomicLong();
    /** Held for the whole of a file-system sync: see {@link #syncAll}. */
    private final Object syncfsLock = new Object();
    private volatile FileSystemSync fileSystemSync;
    /** Set when the first thread found enough logs dirty to want a sync of the file system. */
    private CompletableFuture<Optional<FileSystemSync>> linking;
    private boolean running = true;

    /**
     * @param logDir           the directory whose file system a sync covers, or null to fsync log by log
     * @param minLogsPerSyncfs a thread that finds at least this many logs dirty takes them all and
     *                         syncs the file system once instead of fsyncing them one by one. The
     *                         first time that happens, {@code syncfs} is linked on a thread of its
     *                         own (about 100 ms, kept out of the node's start) and the logs are
     *                         fsynced one by one until it is ready.
     */
    GroupCommitFlusher(int threadCount, Path logDir, int minLogsPerSyncfs) {
        if (threadCount < 1 || minLogsPerSyncfs < 1) {
            throw new IllegalArgumentException("threadCount " + threadCount + " and minLogsPerSyncfs "
                    + minLogsPerSyncfs + " must be >= 1");
        }
        this.logDir = logDir;
        this.minLogsPerSyncfs = minLogsPerSyncfs;
        for (int i = 0; i < threadCount; i++) {
            Thread thread = new Thread(this::run, "millrace-log-flusher-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
    }

    void start() {
        threads.forEach(Thread::start);
    }

    /** For tests: many dirty logs are made durable with {@code sync} from now on; the caller closes it. */
    void useFileSystemSync(FileSystemSync sync) {
        fileSystemSync = sync;
    }

    synchronized void markDirty(PartitionLog log) {
        if (flushing.contains(log)) {
            dirtyAgain.add(log);
        } else if (dirty.add(log)) {
            notify();
        }
    }

    private void run() {
        List<PartitionLog> flushed = List.of();
        while (true) {
            List<PartitionLog> next = new ArrayList<>();
            FileSystemSync sync;
            synchronized (this) {
                for (PartitionLog log : flushed) {
                    flushing.remove(log);
                    if (dirtyAgain.remove(log)) {
                        dirty.add(log);
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
                sync = fileSystemSync;
                boolean many = dirty.size() >= minLogsPerSyncfs;
                if (many && sync == null && linking == null && logDir != null) {
                    linking = FileSystemSync.openInBackground(logDir);
                    linking.thenAccept(linked -> linked.ifPresent(this::useFileSystemSync));
                }
                int take = many && sync != null ? dirty.size() : 1;
                Iterator<PartitionLog> oldest = dirty.iterator();
                for (int i = 0; i < take; i++) {
                    PartitionLog log = oldest.next();
                    oldest.remove();
                    flushing.add(log);
                    next.add(log);
                }
                if (!dirty.isEmpty()) {
                    notify(); // more work than this thread: wake another
                }
            }
            if (next.size() == 1) {
                flushOne(next.get(0));
            } else {
                syncAll(next, sync);
            }
            flushed = next;
        }
    }

    /**
     * Makes every log in {@code logs} durable with one sync of the file system. One sync at a time:
     * a writeback error is reported to one syncfs call only, so a call that overlapped a failing
     * one could return success over lost data. After a failure the logs are fsynced one by one.
     */
    private void syncAll(List<PartitionLog> logs, FileSystemSync sync) {
        synchronized (syncfsLock) {
            if (fileSystemSync != sync) {
                logs.forEach(GroupCommitFlusher::flushOne); // a syncfs failed meanwhile
                return;
            }
            List<PartitionLog> open = new ArrayList<>(logs.size());
            List<DurableEnd.Target> targets = new ArrayList<>(logs.size());
            for (PartitionLog log : logs) {
                DurableEnd.Target target = log.isClosed() ? null : log.beginFlush();
                if (target != null) {
                    open.add(log);
                    targets.add(target);
                }
            }
            if (open.isEmpty()) {
                return;
            }
            try {
                sync.sync();
                fileSystemSyncs.incrementAndGet();
            } catch (IOException | RuntimeException e) {
                // The kernel reports a writeback error to a descriptor once, so a later syncfs
                // through the same one could succeed over lost data: syncfs is off from now on,
                // and each log's own fsync reports the error to it.
                fileSystemSync = null;
                LOG.error("[LogManager {}] syncfs failed; {} logs go offline and their waiting produce requests "
                        + "fail with KAFKA_STORAGE_ERROR; the other logs are fsynced one by one from now on",
                        sync.dir(), open.size(), e);
                IOException cause = e instanceof IOException io ? io : new IOException(e);
                open.forEach(log -> log.onFlushFailed(cause));
                return;
            }
            for (int i = 0; i < open.size(); i++) {
                PartitionLog log = open.get(i);
                try {
                    log.completeFlush(targets.get(i));
                } catch (RuntimeException e) {
                    LOG.error("[Log {}-{}] Completing a syncfs failed", log.topic(), log.partition(), e);
                    log.onFlushFailed(new IOException(e));
                }
            }
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

    /** How many times a thread synced the whole file system instead of fsyncing logs one by one. */
    long fileSystemSyncs() {
        return fileSystemSyncs.get();
    }

    /** Flushes the logs that are dirty, then stops the threads. */
    void stop() throws InterruptedException {
        synchronized (this) {
            running = false;
            notifyAll();
        }
        try {
            for (Thread thread : threads) {
                thread.join();
            }
        } finally {
            closeLinked();
        }
    }

    private void closeLinked() {
        CompletableFuture<Optional<FileSystemSync>> linked;
        synchronized (this) {
            linked = linking;
        }
        if (linked != null) {
            Optional<FileSystemSync> sync = linked.join();
            try {
                if (sync.isPresent()) {
                    sync.get().close();
                }
            } catch (IOException e) {
                LOG.warn("[LogManager {}] Cannot close the syncfs descriptor", logDir, e);
            }
        }
    }

    /** True once syncfs is linked (or given by a test) and has not failed. */
    boolean usesFileSystemSync() {
        return fileSystemSync != null;
    }
}
