package io.millrace.storage;

import io.millrace.protocol.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Log compaction for partitions whose {@code cleanup.policy} contains {@code compact}, as Kafka's
 * {@code LogCleaner} with one cleaner thread. Every {@code backoffMs} (or when {@link #wakeup()}
 * is called) the thread {@code millrace-log-cleaner} picks the compacted log that needs cleaning
 * most and cleans it with a {@link CompactionPass}:
 *
 * <ul>
 *   <li>first a log whose oldest dirty record has waited longer than {@code max.compaction.lag.ms},</li>
 *   <li>else the log with the highest dirty ratio (dirty bytes over cleanable bytes) at or above
 *       its {@code min.cleanable.dirty.ratio},</li>
 *   <li>else a log holding a kept tombstone whose delete horizon has passed, so that tombstones go
 *       away after {@code delete.retention.ms} even without new writes (horizons are remembered in
 *       memory only; after a restart such a log waits for its dirty ratio).</li>
 * </ul>
 *
 * <p>How far each log is clean is kept in {@code cleaner-offset-checkpoint} in the log directory
 * (Kafka's file and format: lines {@code "<topic> <partition> <offset>"}), written after every
 * cleaning. The cleaner reads sealed segments without locks and holds a partition's lock only to
 * swap cleaned segments in, so produce and fetch wait at most for a swap. Its I/O is bounded by
 * {@code readBufferBytes} per read, {@code offsetMapBytes} for the key map, and optionally
 * {@code maxIoBytesPerSecond}.
 *
 * <p>Thread-safety: cleanings are serialised by this object's monitor; {@link #cleanOnce()} and
 * {@link #clean(PartitionLog)} may also be called from a test thread. Never interrupts its thread,
 * since an interrupt during {@code FileChannel} I/O would close the channel of a live segment.
 */
public final class LogCleaner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogCleaner.class);
    static final String CHECKPOINT_FILE = "cleaner-offset-checkpoint";
    static final String THREAD_NAME = "millrace-log-cleaner";

    /**
     * Cleaner settings, after Kafka's {@code log.cleaner.*} configs.
     *
     * @param backoffMs           how long the thread sleeps when no log needs cleaning ({@code log.cleaner.backoff.ms})
     * @param readBufferBytes     read buffer per segment read ({@code log.cleaner.io.buffer.size})
     * @param offsetMapBytes      approximate memory for the key → offset map ({@code log.cleaner.dedupe.buffer.size})
     * @param maxIoBytesPerSecond read plus write throughput limit ({@code log.cleaner.io.max.bytes.per.second})
     */
    public record Settings(long backoffMs, int readBufferBytes, long offsetMapBytes, long maxIoBytesPerSecond) {
        public Settings {
            if (backoffMs <= 0 || readBufferBytes < BatchFormat.HEADER_SIZE || offsetMapBytes <= 0
                    || maxIoBytesPerSecond <= 0) {
                throw new IllegalArgumentException("backoffMs " + backoffMs + ", offsetMapBytes " + offsetMapBytes
                        + " and maxIoBytesPerSecond " + maxIoBytesPerSecond + " must be > 0, readBufferBytes "
                        + readBufferBytes + " >= " + BatchFormat.HEADER_SIZE);
            }
        }

        /** 15 s backoff, 1 MiB reads, 128 MiB map, no throughput limit. */
        public static Settings defaults() {
            return new Settings(15_000, 1024 * 1024, 128L * 1024 * 1024, Long.MAX_VALUE);
        }
    }

    private final Path logDir;
    private final Time time;
    private final Settings settings;
    private final Supplier<Collection<PartitionLog>> logs;
    private final Map<String, Long> checkpoints = new ConcurrentHashMap<>();
    private final Map<String, Long> tombstoneHorizons = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong cleaningsCompleted = new java.util.concurrent.atomic.AtomicLong();
    private final Object wakeLock = new Object();
    private boolean wakeRequested;
    private volatile boolean closed;
    private Thread thread;

    LogCleaner(Path logDir, Time time, Settings settings, Supplier<Collection<PartitionLog>> logs) {
        this.logDir = logDir;
        this.time = time;
        this.settings = settings;
        this.logs = logs;
    }

    /** Reads the checkpoint file and starts the cleaner thread. */
    void start() throws IOException {
        for (String line : CheckpointFile.read(logDir.resolve(CHECKPOINT_FILE))) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length != 3) {
                throw new IOException("Malformed line in " + CHECKPOINT_FILE + ": " + line);
            }
            checkpoints.put(LogManager.key(parts[0], Integer.parseInt(parts[1])), Long.parseLong(parts[2]));
        }
        thread = new Thread(this::run, THREAD_NAME);
        thread.setDaemon(true);
        thread.start();
    }

    /** Makes the cleaner thread look for work now instead of after its backoff. */
    public void wakeup() {
        synchronized (wakeLock) {
            wakeRequested = true;
            wakeLock.notifyAll();
        }
    }

    /**
     * Waits a backoff first (logs loaded at startup carry default configs until the broker applies
     * the topic's), then cleans while some log needs it.
     */
    private void run() {
        while (!closed) {
            awaitWakeup(settings.backoffMs());
            boolean cleaned = true;
            while (cleaned && !closed) {
                try {
                    cleaned = cleanOnce();
                } catch (RuntimeException e) {
                    LOG.error("[LogCleaner {}] Cleaning failed", logDir, e);
                    cleaned = false;
                }
            }
        }
    }

    /** Waits up to {@code timeoutMs} for {@link #wakeup()} or {@link #close()}; a spurious return only costs a pass. */
    private void awaitWakeup(long timeoutMs) {
        synchronized (wakeLock) {
            if (!wakeRequested && !closed) {
                try {
                    wakeLock.wait(timeoutMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            wakeRequested = false;
        }
    }

    /**
     * Picks the compacted log that needs cleaning most (see the class comment) and cleans it.
     *
     * @return whether a log was cleaned
     */
    public synchronized boolean cleanOnce() {
        long now = time.milliseconds();
        PartitionLog chosen = null;
        CompactionPass.Plan chosenPlan = null;
        int chosenRank = 0;
        double chosenRatio = -1;
        for (PartitionLog log : logs.get()) {
            if (log.isClosed() || !log.config().compact()) {
                continue;
            }
            CompactionPass.Plan plan;
            try {
                plan = CompactionPass.plan(log, checkpoint(log), now);
            } catch (IOException | RuntimeException e) {
                LOG.warn("[LogCleaner {}] Cannot plan cleaning of {}", logDir, log, e);
                continue;
            }
            int rank = rank(log, plan, now);
            double ratio = plan.dirtyRatio();
            if (rank > chosenRank || (rank == chosenRank && rank > 0 && ratio > chosenRatio)) {
                chosen = log;
                chosenPlan = plan;
                chosenRank = rank;
                chosenRatio = ratio;
            }
        }
        return chosen != null && clean(chosen, chosenPlan, now) != null;
    }

    /** 3: past the max compaction lag; 2: dirty ratio reached; 1: a tombstone horizon passed; 0: nothing to do. */
    private int rank(PartitionLog log, CompactionPass.Plan plan, long now) {
        LogConfig cfg = log.config();
        if (plan.cleanable().isEmpty()) {
            return 0;
        }
        if (plan.dirtyBytes() > 0 && cfg.maxCompactionLagMs() != Long.MAX_VALUE && plan.firstDirtyTimestampMs() >= 0
                && now - plan.firstDirtyTimestampMs() > cfg.maxCompactionLagMs()) {
            return 3;
        }
        if (plan.dirtyBytes() > 0 && plan.dirtyRatio() >= cfg.minCleanableDirtyRatio()) {
            return 2;
        }
        Long horizon = tombstoneHorizons.get(key(log));
        return horizon != null && horizon <= now ? 1 : 0;
    }

    /**
     * Cleans {@code log} now, whatever its dirty ratio, for tests and operators.
     *
     * @return the result, or null when nothing could be cleaned or the cleaning was given up
     */
    synchronized CompactionPass.Result clean(PartitionLog log) {
        long now = time.milliseconds();
        try {
            return clean(log, CompactionPass.plan(log, checkpoint(log), now), now);
        } catch (IOException e) {
            LOG.error("[LogCleaner {}] Cannot plan cleaning of {}", logDir, log, e);
            return null;
        }
    }

    private CompactionPass.Result clean(PartitionLog log, CompactionPass.Plan plan, long now) {
        String key = key(log);
        CompactionPass pass = new CompactionPass(settings.readBufferBytes(), settings.offsetMapBytes(), new Throttle());
        try {
            CompactionPass.Result result = pass.clean(log, plan, now, true);
            if (result == null) {
                return null;
            }
            checkpoints.put(key, result.cleanedUpToOffset());
            if (result.minDeleteHorizonMs() == Long.MAX_VALUE) {
                tombstoneHorizons.remove(key);
            } else {
                tombstoneHorizons.put(key, result.minDeleteHorizonMs());
            }
            writeCheckpoints();
            cleaningsCompleted.incrementAndGet();
            LOG.info("[LogCleaner {}] Cleaned {} up to offset {}: {} segment(s) of {} bytes into {} of {} bytes",
                    logDir, key, result.cleanedUpToOffset(), result.segmentsBefore(), result.bytesBefore(),
                    result.segmentsAfter(), result.bytesAfter());
            return result;
        } catch (CompactionPass.AbortedException e) {
            LOG.debug("[LogCleaner {}] Cleaning of {} given up: {}", logDir, key, e.getMessage());
            return null;
        } catch (IOException | RuntimeException e) {
            LOG.error("[LogCleaner {}] Cleaning of {} failed", logDir, key, e);
            return null;
        }
    }

    private long checkpoint(PartitionLog log) {
        return checkpoints.getOrDefault(key(log), -1L);
    }

    /** The offset below which {@code log} is clean, or -1 when it was never cleaned. */
    long cleanedUpTo(String topic, int partition) {
        return checkpoints.getOrDefault(LogManager.key(topic, partition), -1L);
    }

    /**
     * After a truncation the cleaned section ends at most at the new log end (Kafka's
     * {@code maybeTruncateCheckpoint}), so data written again above it is mapped as dirty. Called
     * under the partition's lock: touches only the concurrent map, never this object's monitor,
     * which a cleaning holds while it waits for that lock. The file follows at the next cleaning.
     */
    void onTruncated(String topic, int partition, long logEndOffset) {
        checkpoints.computeIfPresent(LogManager.key(topic, partition), (k, v) -> Math.min(v, logEndOffset));
    }

    /** How many cleanings have completed since startup, for metrics and tests. */
    public long cleaningsCompleted() {
        return cleaningsCompleted.get();
    }

    /** Forgets a deleted partition's checkpoint. */
    void onLogDeleted(String topic, int partition) {
        String key = LogManager.key(topic, partition);
        checkpoints.remove(key);
        tombstoneHorizons.remove(key);
    }

    private synchronized void writeCheckpoints() throws IOException {
        List<String> lines = new ArrayList<>(checkpoints.size());
        for (Map.Entry<String, Long> entry : checkpoints.entrySet()) {
            int dash = entry.getKey().lastIndexOf('-');
            lines.add(entry.getKey().substring(0, dash) + " " + entry.getKey().substring(dash + 1) + " "
                    + entry.getValue());
        }
        CheckpointFile.write(logDir.resolve(CHECKPOINT_FILE), lines);
    }

    private static String key(PartitionLog log) {
        return LogManager.key(log.topic(), log.partition());
    }

    /** Stops the thread; a cleaning in progress is given up at its next batch. */
    @Override
    public void close() {
        closed = true;
        wakeup();
        if (thread != null) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Gives up on shutdown, and holds the cleaner's throughput to {@code maxIoBytesPerSecond}. */
    private final class Throttle implements CompactionPass.IoBudget {
        private final long startNs = time.nanoseconds();
        private long bytes;

        @Override
        public void consume(long n) throws IOException {
            if (closed) {
                throw new CompactionPass.AbortedException("cleaner is shutting down");
            }
            long rate = settings.maxIoBytesPerSecond();
            if (rate == Long.MAX_VALUE) {
                return;
            }
            bytes += n;
            long dueNs = (long) (bytes * 1e9 / rate);
            long waitMs = (dueNs - (time.nanoseconds() - startNs)) / 1_000_000;
            if (waitMs > 0) {
                awaitWakeup(waitMs);
            }
        }
    }
}
