package io.millrace.storage;

import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.MillraceException;
import io.millrace.protocol.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleFinder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Owns one log directory and every partition log in it ({@code <topic>-<partition>} sub-directories),
 * as Kafka's {@code LogManager}: loading at startup (with recovery when the previous run did not
 * leave the {@value #CLEAN_SHUTDOWN_FILE} marker), creation, deletion, retention, background
 * flushing and the directory-level checkpoints ({@code recovery-point-offset-checkpoint},
 * {@code log-start-offset-checkpoint}, {@code replication-offset-checkpoint} holding high
 * watermarks).
 *
 * <p>Threads: one scheduler thread ({@code millrace-log-scheduler}) runs retention every
 * {@code retentionCheckIntervalMs}, the RELAXED flush every {@code flushIntervalMs}, checkpoints and
 * delayed file deletion; under DURABLE the {@link GroupCommitFlusher}'s 8 threads
 * ({@code millrace-log-flusher-N}) fsync, or syncfs when many logs are dirty;
 * the {@link LogCleaner} thread ({@code millrace-log-cleaner}) compacts logs whose
 * {@code cleanup.policy} contains {@code compact}.
 * Thread-safety: all public methods are safe from any thread; creation and deletion of a partition
 * are serialised by the manager's monitor.
 */
public final class LogManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogManager.class);
    static final String CLEAN_SHUTDOWN_FILE = ".millrace_clean_shutdown";
    static final String RECOVERY_POINT_FILE = "recovery-point-offset-checkpoint";
    static final String LOG_START_FILE = "log-start-offset-checkpoint";
    static final String HIGH_WATERMARK_FILE = "replication-offset-checkpoint";
    static final String PARTITION_METADATA_FILE = "partition.metadata";
    private static final String DELETE_DIR_SUFFIX = "-delete";
    private static final long DEFAULT_RETENTION_CHECK_INTERVAL_MS = 5_000;
    /**
     * Group-commit threads of the DURABLE policy. They mostly wait in fsync, so more of them than
     * cores pays off when many partitions are written at once: on 2 cores, with 1,000 partitions
     * (issue 4's W5), 8 threads carried a median 134,354 msg/s, 1 thread 104,890, 16 threads 122,487;
     * later passes put 2, 4 and 8 threads within the spread between runs, and 1 below it.
     */
    private static final int FLUSH_THREADS = 8;
    /** A flusher thread that finds this many logs dirty syncs the file system once for all of them. */
    private static final int MIN_LOGS_PER_SYNCFS = 4;
    /** Kafka's {@code file.delete.delay.ms}: deleted segments stay readable this long. */
    private static final long DEFAULT_FILE_DELETE_DELAY_MS = 60_000;

    private final Path logDir;
    private final FlushPolicy policy;
    private final long flushIntervalMs;
    private final Time time;
    private final long retentionCheckIntervalMs;
    private final long fileDeleteDelayMs;
    private final ConcurrentHashMap<String, PartitionLog> logs = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    private final GroupCommitFlusher flusher;
    private final LogCleaner cleaner;
    private PageCacheLimit pageCache;
    private OffsetCheckpoints checkpoints;
    private FileChannel lockChannel;
    private FileLock dirLock;
    private boolean cleanShutdown;
    private volatile boolean started;

    public LogManager(Path logDir, FlushPolicy policy, long flushIntervalMs, Time time) {
        this(logDir, policy, flushIntervalMs, time, DEFAULT_RETENTION_CHECK_INTERVAL_MS, DEFAULT_FILE_DELETE_DELAY_MS);
    }

    /**
     * @param retentionCheckIntervalMs how often retention runs; tests use a short interval
     * @param fileDeleteDelayMs        how long a deleted segment's files stay open for in-flight reads
     */
    public LogManager(Path logDir, FlushPolicy policy, long flushIntervalMs, Time time,
                      long retentionCheckIntervalMs, long fileDeleteDelayMs) {
        this(logDir, policy, flushIntervalMs, time, retentionCheckIntervalMs, fileDeleteDelayMs,
                LogCleaner.Settings.defaults());
    }

    /**
     * @param retentionCheckIntervalMs how often retention runs; tests use a short interval
     * @param fileDeleteDelayMs        how long a deleted segment's files stay open for in-flight reads
     * @param cleanerSettings          the log cleaner's backoff and I/O bounds
     */
    public LogManager(Path logDir, FlushPolicy policy, long flushIntervalMs, Time time,
                      long retentionCheckIntervalMs, long fileDeleteDelayMs, LogCleaner.Settings cleanerSettings) {
        if (flushIntervalMs <= 0 || retentionCheckIntervalMs <= 0 || fileDeleteDelayMs < 0) {
            throw new IllegalArgumentException("flushIntervalMs " + flushIntervalMs + " and retentionCheckIntervalMs "
                    + retentionCheckIntervalMs + " must be > 0, fileDeleteDelayMs " + fileDeleteDelayMs + " >= 0");
        }
        this.logDir = logDir;
        this.policy = policy;
        this.flushIntervalMs = flushIntervalMs;
        this.time = time;
        this.retentionCheckIntervalMs = retentionCheckIntervalMs;
        this.fileDeleteDelayMs = fileDeleteDelayMs;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "millrace-log-scheduler");
            t.setDaemon(true);
            return t;
        });
        this.flusher = policy == FlushPolicy.DURABLE
                ? new GroupCommitFlusher(FLUSH_THREADS, logDir, MIN_LOGS_PER_SYNCFS) : null;
        this.cleaner = new LogCleaner(logDir, time, cleanerSettings, () -> List.copyOf(logs.values()));
    }

    /**
     * JVM options that let the DURABLE flusher make many logs durable with one {@code syncfs}
     * ({@link FileSystemSync}), for a JVM of the same installation as this one: the incubator
     * module options on JDK 17, none elsewhere. {@code bin/millrace start} makes the same choice.
     * Without them the flusher fsyncs each log.
     */
    public static List<String> syncfsJvmOptions() {
        return FileSystemSync.jvmOptionsFor(Runtime.version(),
                ModuleFinder.ofSystem().find("jdk.incubator.foreign").isPresent());
    }

    /**
     * {@code log.page.cache.retain.bytes}: keep about this much flushed log data of the directory in
     * the OS page cache and drop older flushed data from it after each flush (see
     * {@link PageCacheLimit}). Without this call the kernel alone decides. Call before {@link #startup}.
     */
    public synchronized void limitPageCache(long retainBytes) {
        if (started || pageCache != null) {
            throw new IllegalStateException("limitPageCache must be called once, before startup");
        }
        pageCache = new PageCacheLimit(retainBytes, logs::size, null);
    }

    /** The page cache limit, or null without {@link #limitPageCache}; for tests. */
    PageCacheLimit pageCacheLimit() {
        return pageCache;
    }

    /** Locks the directory, loads every partition (recovering after an unclean shutdown), starts the threads. */
    public synchronized void startup() throws IOException {
        if (started) {
            throw new IllegalStateException("LogManager for " + logDir + " already started");
        }
        Files.createDirectories(logDir);
        lockChannel = FileChannel.open(logDir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        dirLock = lockChannel.tryLock();
        if (dirLock == null) {
            throw new IOException("Log directory " + logDir + " is in use by another process");
        }
        Path marker = logDir.resolve(CLEAN_SHUTDOWN_FILE);
        cleanShutdown = Files.exists(marker);
        checkpoints = OffsetCheckpoints.read(logDir);
        loadLogs();
        if (!cleanShutdown && !logs.isEmpty()) {
            LOG.warn("[LogManager {}] No clean shutdown marker: recovered {} logs from their recovery points",
                    logDir, logs.size());
        }
        Files.deleteIfExists(marker);
        if (flusher != null) {
            flusher.start();
        }
        cleaner.start();
        scheduler.scheduleWithFixedDelay(this::runPeriodicTasks, retentionCheckIntervalMs, retentionCheckIntervalMs,
                TimeUnit.MILLISECONDS);
        if (policy == FlushPolicy.RELAXED) {
            scheduler.scheduleWithFixedDelay(this::flushAll, flushIntervalMs, flushIntervalMs, TimeUnit.MILLISECONDS);
        }
        started = true;
    }

    private void loadLogs() throws IOException {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(logDir, Files::isDirectory)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (name.endsWith(DELETE_DIR_SUFFIX)) {
                    deleteRecursively(dir);
                    continue;
                }
                int dash = name.lastIndexOf('-');
                if (dash <= 0) {
                    continue;
                }
                String topic = name.substring(0, dash);
                int partition;
                try {
                    partition = Integer.parseInt(name.substring(dash + 1));
                } catch (NumberFormatException e) {
                    continue;
                }
                PartitionLog log = open(dir, topic, partition, readTopicId(dir), LogConfig.defaults());
                logs.put(name, log);
            }
        }
    }

    private PartitionLog open(Path dir, String topic, int partition, UUID topicId, LogConfig config) throws IOException {
        String key = key(topic, partition);
        PartitionLog.Builder b = new PartitionLog.Builder();
        b.dir = dir;
        b.topic = topic;
        b.partition = partition;
        b.topicId = topicId;
        b.config = config;
        b.time = time;
        b.policy = policy;
        b.cleanShutdown = cleanShutdown;
        b.recoveryPoint = checkpoints.recoveryPoints.getOrDefault(key, 0L);
        b.logStartOffset = checkpoints.logStartOffsets.getOrDefault(key, 0L);
        b.highWatermark = checkpoints.highWatermarks.getOrDefault(key, 0L);
        if (flusher != null) {
            b.onDirty = flusher::markDirty;
        }
        b.segmentDeleter = this::deleteSegmentLater;
        b.onTruncated = end -> cleaner.onTruncated(topic, partition, end);
        PartitionLog log = b.load();
        PageCacheLimit limit = pageCache;
        if (limit != null) {
            log.addFlushListener(end -> limit.onFlushed(log));
        }
        return log;
    }

    /**
     * Returns the log of the partition, creating its directory if needed. A log loaded at startup
     * takes {@code config} as its configuration.
     *
     * @throws MillraceException INCONSISTENT_TOPIC_ID if the partition exists with another topic id
     */
    public synchronized PartitionLog getOrCreateLog(String topic, UUID topicId, int partition, LogConfig config) {
        ensureStarted();
        String key = key(topic, partition);
        PartitionLog existing = logs.get(key);
        try {
            if (existing != null) {
                if (existing.topicId() == null && topicId != null) {
                    writeTopicId(existing.dir(), topicId);
                    existing.setTopicId(topicId);
                } else if (topicId != null && !topicId.equals(existing.topicId())) {
                    throw new MillraceException(ErrorCode.INCONSISTENT_TOPIC_ID, "Partition " + key + " has topic id "
                            + existing.topicId() + ", not " + topicId);
                }
                existing.updateConfig(config);
                return existing;
            }
            Path dir = logDir.resolve(key);
            Files.createDirectories(dir);
            if (topicId != null) {
                writeTopicId(dir, topicId);
            }
            PartitionLog log = open(dir, topic, partition, topicId, config);
            logs.put(key, log);
            return log;
        } catch (IOException e) {
            throw new MillraceException(ErrorCode.KAFKA_STORAGE_ERROR, "Cannot create log " + key + " in " + logDir, e);
        }
    }

    public Optional<PartitionLog> getLog(String topic, int partition) {
        return Optional.ofNullable(logs.get(key(topic, partition)));
    }

    public Collection<PartitionLog> logs() {
        return List.copyOf(logs.values());
    }

    /** The log cleaner of this directory (thread {@code millrace-log-cleaner}). */
    public LogCleaner cleaner() {
        return cleaner;
    }

    /**
     * Removes the partition: the log stops accepting writes at once, its directory is renamed to
     * {@code <topic>-<partition>.<id>-delete} and removed after the file delete delay. A log
     * created later under the same name starts empty.
     */
    public synchronized void deleteLog(String topic, int partition) {
        String key = key(topic, partition);
        PartitionLog log = logs.remove(key);
        if (log == null) {
            return;
        }
        log.closeWithoutFlush();
        cleaner.onLogDeleted(topic, partition);
        if (pageCache != null) {
            pageCache.forget(log);
        }
        Path target = logDir.resolve(key + "." + UUID.randomUUID().toString().replace("-", "") + DELETE_DIR_SUFFIX);
        try {
            Files.move(log.dir(), target);
        } catch (IOException e) {
            throw new MillraceException(ErrorCode.KAFKA_STORAGE_ERROR, "Cannot delete log " + key, e);
        }
        scheduler.schedule(() -> {
            log.releaseFiles();
            deleteRecursively(target);
        }, fileDeleteDelayMs, TimeUnit.MILLISECONDS);
    }

    /** One retention pass over every log; also run by the scheduler. Returns segments deleted. */
    public int deleteOldSegments() {
        int deleted = 0;
        for (PartitionLog log : logs.values()) {
            try {
                deleted += log.deleteOldSegments();
            } catch (IOException | RuntimeException e) {
                LOG.error("[Log {}-{}] Retention failed", log.topic(), log.partition(), e);
            }
        }
        return deleted;
    }

    private void runPeriodicTasks() {
        deleteOldSegments();
        try {
            OffsetCheckpoints.write(logDir, logs.values());
        } catch (IOException | RuntimeException e) {
            LOG.error("[LogManager {}] Cannot write checkpoints", logDir, e);
        }
    }

    private void flushAll() {
        for (PartitionLog log : logs.values()) {
            try {
                if (!log.isClosed()) {
                    log.flush();
                }
            } catch (IOException | RuntimeException e) {
                LOG.error("[Log {}-{}] Flush failed", log.topic(), log.partition(), e);
            }
        }
    }

    private void deleteSegmentLater(LogSegment segment) {
        scheduler.schedule(() -> {
            try {
                segment.closeAndDelete();
            } catch (IOException e) {
                LOG.warn("Cannot delete {}", segment, e);
            }
        }, fileDeleteDelayMs, TimeUnit.MILLISECONDS);
    }

    /** Flushes and closes every log, writes the checkpoints and the clean-shutdown marker. */
    @Override
    public synchronized void close() throws IOException {
        if (!started) {
            return;
        }
        started = false;
        cleaner.close();
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(30, TimeUnit.SECONDS);
            if (flusher != null) {
                flusher.stop();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while stopping the log threads of " + logDir, e);
        }
        for (PartitionLog log : logs.values()) {
            log.close();
        }
        if (pageCache != null) {
            try {
                pageCache.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        OffsetCheckpoints.write(logDir, logs.values());
        Files.write(logDir.resolve(CLEAN_SHUTDOWN_FILE), new byte[0]);
        try (FileChannel dir = FileChannel.open(logDir, StandardOpenOption.READ)) {
            dir.force(true);
        }
        logs.clear();
        dirLock.release();
        lockChannel.close();
    }

    private void ensureStarted() {
        if (!started) {
            throw new IllegalStateException("LogManager for " + logDir + " is not started");
        }
    }

    static String key(String topic, int partition) {
        return topic + "-" + partition;
    }

    /** Kafka's {@code partition.metadata}: {@code version: 0} and the topic id in Kafka's base64 form. */
    private static void writeTopicId(Path dir, UUID topicId) throws IOException {
        ByteBuffer raw = ByteBuffer.allocate(16).putLong(topicId.getMostSignificantBits())
                .putLong(topicId.getLeastSignificantBits());
        String encoded = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(raw.array());
        Path tmp = dir.resolve(PARTITION_METADATA_FILE + ".tmp");
        Files.writeString(tmp, "version: 0\ntopic_id: " + encoded + "\n");
        ProducerSnapshotFile.moveAtomically(tmp, dir.resolve(PARTITION_METADATA_FILE));
    }

    static UUID readTopicId(Path dir) throws IOException {
        Path file = dir.resolve(PARTITION_METADATA_FILE);
        if (!Files.exists(file)) {
            return null;
        }
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("topic_id:")) {
                ByteBuffer raw = ByteBuffer.wrap(java.util.Base64.getUrlDecoder().decode(line.substring(9).trim()));
                return new UUID(raw.getLong(), raw.getLong());
            }
        }
        throw new IOException("No topic_id in " + file);
    }

    private static void deleteRecursively(Path dir) {
        try (var walk = Files.walk(dir)) {
            List<Path> paths = new ArrayList<>(walk.toList());
            java.util.Collections.reverse(paths);
            for (Path p : paths) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + dir, e);
        }
    }
}
