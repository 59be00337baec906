package io.millrace.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The log directory's per-partition checkpoints in Kafka's files and format (lines
 * {@code "<topic> <partition> <offset>"}): recovery points, log start offsets and high watermarks.
 * Read once at startup; written by the scheduler thread and at close. Immutable after reading.
 */
final class OffsetCheckpoints {
    final Map<String, Long> recoveryPoints;
    final Map<String, Long> logStartOffsets;
    final Map<String, Long> highWatermarks;

    private OffsetCheckpoints(Map<String, Long> recoveryPoints, Map<String, Long> logStartOffsets,
                              Map<String, Long> highWatermarks) {
        this.recoveryPoints = recoveryPoints;
        this.logStartOffsets = logStartOffsets;
        this.highWatermarks = highWatermarks;
    }

    static OffsetCheckpoints read(Path logDir) throws IOException {
        return new OffsetCheckpoints(readFile(logDir.resolve(LogManager.RECOVERY_POINT_FILE)),
                readFile(logDir.resolve(LogManager.LOG_START_FILE)),
                readFile(logDir.resolve(LogManager.HIGH_WATERMARK_FILE)));
    }

    static synchronized void write(Path logDir, Collection<PartitionLog> logs) throws IOException {
        writeFile(logDir.resolve(LogManager.RECOVERY_POINT_FILE), logs, PartitionLog::durableEndOffset);
        writeFile(logDir.resolve(LogManager.LOG_START_FILE), logs, PartitionLog::logStartOffset);
        writeFile(logDir.resolve(LogManager.HIGH_WATERMARK_FILE), logs, PartitionLog::highWatermark);
    }

    private static Map<String, Long> readFile(Path file) throws IOException {
        Map<String, Long> offsets = new HashMap<>();
        for (String line : CheckpointFile.read(file)) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length != 3) {
                throw new IOException("Malformed line in " + file + ": " + line);
            }
            offsets.put(LogManager.key(parts[0], Integer.parseInt(parts[1])), Long.parseLong(parts[2]));
        }
        return offsets;
    }

    private static void writeFile(Path file, Collection<PartitionLog> logs, ToLongFunction<PartitionLog> offset)
            throws IOException {
        List<String> lines = new ArrayList<>(logs.size());
        for (PartitionLog log : logs) {
            lines.add(log.topic() + " " + log.partition() + " " + offset.applyAsLong(log));
        }
        CheckpointFile.write(file, lines);
    }
}
