package io.millrace.storage;

import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class RecoveryTest {
    @TempDir
    Path dir;

    private LogManager start() throws Exception {
        LogManager manager = new LogManager(dir, FlushPolicy.DURABLE, 60_000, new TestLogs.ManualTime(0));
        manager.startup();
        return manager;
    }

    private static LogConfig config() {
        return LogConfig.defaults().withSegmentBytes(500).withIndexIntervalBytes(50);
    }

    /** Writes {@code batches} batches, closes cleanly, and returns the log end offset. */
    private long writeAndClose(int batches) throws Exception {
        LogManager manager = start();
        PartitionLog log = manager.getOrCreateLog("t", UUID.randomUUID(), 0, config());
        for (int i = 0; i < batches; i++) {
            log.appendAsLeader(TestLogs.batch("none", i, "v" + i, "w" + i), 2);
        }
        long end = log.logEndOffset();
        manager.close();
        return end;
    }

    private Path lastSegment() throws Exception {
        try (var files = Files.list(dir.resolve("t-0"))) {
            return files.filter(p -> p.toString().endsWith(".log")).sorted().reduce((a, b) -> b).orElseThrow();
        }
    }

    private void crashWith(byte[] tail) throws Exception {
        Files.write(lastSegment(), tail, StandardOpenOption.APPEND);
        Files.delete(dir.resolve(LogManager.CLEAN_SHUTDOWN_FILE));
    }

    @ParameterizedTest
    @ValueSource(longs = {3L, 11L, 99L})
    void recoveryCutsGarbageTailAndKeepsEverythingBefore(long seed) throws Exception {
        long end = writeAndClose(25);
        long sizeBefore = Files.size(lastSegment());
        byte[] garbage = new byte[1 + new Random(seed).nextInt(300)];
        new Random(seed).nextBytes(garbage);
        crashWith(garbage);

        LogManager manager = start();
        PartitionLog log = manager.getLog("t", 0).orElseThrow();

        assertThat(log.logEndOffset()).isEqualTo(end);
        assertThat(Files.size(lastSegment())).isEqualTo(sizeBefore);
        assertEveryOffsetReadable(log);
        assertThat(log.appendAsLeader(TestLogs.batch("none", 1L, "after"), 2).firstOffset()).isEqualTo(end);
        manager.close();
    }

    @Test
    void recoveryCutsTornBatchAtTheEnd() throws Exception {
        long end = writeAndClose(25);
        ByteBuffer batch = TestLogs.batch("none", 7L, "torn-1", "torn-2");
        byte[] half = new byte[batch.remaining() / 2];
        batch.get(half);
        crashWith(half);

        LogManager manager = start();
        PartitionLog log = manager.getLog("t", 0).orElseThrow();

        assertThat(log.logEndOffset()).isEqualTo(end);
        assertEveryOffsetReadable(log);
        manager.close();
    }

    @Test
    void recoveryRebuildsMissingIndexes() throws Exception {
        long end = writeAndClose(25);
        try (var files = Files.list(dir.resolve("t-0"))) {
            for (Path index : files.filter(p -> p.toString().endsWith(".index")).toList()) {
                Files.delete(index);
            }
        }

        LogManager manager = start();
        PartitionLog log = manager.getLog("t", 0).orElseThrow();

        assertThat(log.logEndOffset()).isEqualTo(end);
        assertEveryOffsetReadable(log);
        manager.close();
    }

    @Test
    void cleanRestartKeepsOffsetsEpochsAndHighWatermark() throws Exception {
        LogManager manager = start();
        UUID id = UUID.randomUUID();
        PartitionLog log = manager.getOrCreateLog("t", id, 0, config());
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(TestLogs.batch("none", i, "v" + i), i < 5 ? 1 : 3);
        }
        log.updateHighWatermark(7);
        manager.close();

        manager = start();
        log = manager.getLog("t", 0).orElseThrow();
        assertThat(log.topicId()).isEqualTo(id);
        assertThat(log.logEndOffset()).isEqualTo(10);
        assertThat(log.highWatermark()).isEqualTo(7);
        assertThat(log.endOffsetForEpoch(1)).isEqualTo(new EpochEndOffset(1, 5));
        manager.close();
    }

    private static void assertEveryOffsetReadable(PartitionLog log) {
        for (long offset = 0; offset < log.logEndOffset(); offset++) {
            List<MutableRecordBatch> batches = TestLogs.batchesOf(log.read(offset, 1, Long.MAX_VALUE, true).records());
            assertThat(batches).hasSize(1);
            batches.get(0).ensureValid();
            assertThat(batches.get(0).lastOffset()).isGreaterThanOrEqualTo(offset);
            assertThat(batches.get(0).baseOffset()).isLessThanOrEqualTo(offset);
        }
    }
}
