package io.millrace.bench.jmh;

import io.millrace.protocol.Time;
import io.millrace.storage.FlushPolicy;
import io.millrace.storage.LogConfig;
import io.millrace.storage.LogManager;
import io.millrace.storage.PartitionLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A {@link LogManager} on a fresh temporary directory under the RELAXED policy, with its background
 * flush pushed out to an hour so no benchmark iteration measures an fsync it did not cause itself.
 * Closing stops the manager and deletes the directory.
 */
final class TempLog implements AutoCloseable {
    static final String TOPIC = "bench";
    private static final long FLUSH_INTERVAL_MS = 60 * 60 * 1000L;
    private static final long RETENTION_CHECK_INTERVAL_MS = 60 * 60 * 1000L;

    private final Path dir;
    private final LogManager manager;
    private final PartitionLog log;

    TempLog(LogConfig config) throws IOException {
        dir = Files.createTempDirectory("millrace-jmh-");
        manager = new LogManager(dir, FlushPolicy.RELAXED, FLUSH_INTERVAL_MS, Time.SYSTEM,
                RETENTION_CHECK_INTERVAL_MS, 0);
        try {
            manager.startup();
            log = manager.getOrCreateLog(TOPIC, UUID.randomUUID(), 0, config);
        } catch (IOException | RuntimeException e) {
            try {
                close();
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    PartitionLog log() {
        return log;
    }

    int segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(log.dir())) {
            return (int) files.filter(f -> f.getFileName().toString().endsWith(".log")).count();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            manager.close();
        } finally {
            deleteRecursively(dir);
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
