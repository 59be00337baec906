package io.millrace.storage;

import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.MillraceException;
import io.millrace.protocol.FileSlice;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class LogCleanerTest {
    private static final long DELETE_RETENTION_MS = 10_000;

    @TempDir
    Path dir;
    TestLogs.ManualTime time = new TestLogs.ManualTime(1_000_000L);
    LogManager manager;
    private final UUID topicId = UUID.randomUUID();

    /** One record as read back: its value is null for a tombstone. */
    record Rec(long offset, String key, String value) {
    }

    private LogManager startManager(long cleanerBackoffMs) throws Exception {
        manager = new LogManager(dir, FlushPolicy.RELAXED, 60_000, time, 3_600_000, 0,
                new LogCleaner.Settings(cleanerBackoffMs, 256, 1L << 20, Long.MAX_VALUE));
        manager.startup();
        return manager;
    }

    private PartitionLog start(LogConfig config) throws Exception {
        startManager(3_600_000);
        return manager.getOrCreateLog("t", topicId, 0, config);
    }

    @AfterEach
    void stop() throws Exception {
        if (manager != null) {
            manager.close();
        }
    }

    private static LogConfig compacted() {
        return LogConfig.defaults().withSegmentBytes(600).withIndexIntervalBytes(0)
                .withCleanupPolicy(true, false).withDeleteRetentionMs(DELETE_RETENTION_MS);
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static ByteBuffer keyed(String codec, long timestamp, String[] keys, String[] values) {
        SimpleRecord[] records = new SimpleRecord[keys.length];
        for (int i = 0; i < keys.length; i++) {
            records[i] = new SimpleRecord(timestamp, utf8(keys[i]), utf8(values[i]));
        }
        return MemoryRecords.withRecords(TestLogs.compression(codec), records).buffer();
    }

    /**
     * Appends {@code batches} batches of 1-3 records over {@code keys} keys, about one in eight a
     * tombstone, and returns every record written by offset.
     */
    private TreeMap<Long, Rec> writeUpdates(PartitionLog log, String codec, int batches, int keys, long seed) {
        Random random = new Random(seed);
        TreeMap<Long, Rec> written = new TreeMap<>();
        for (int b = 0; b < batches; b++) {
            int n = 1 + random.nextInt(3);
            String[] ks = new String[n];
            String[] vs = new String[n];
            for (int i = 0; i < n; i++) {
                ks[i] = "key-" + random.nextInt(keys);
                vs[i] = random.nextInt(8) == 0 ? null : "value-" + b + "-" + i;
            }
            long first = log.appendAsLeader(keyed(codec, time.milliseconds(), ks, vs), 1).firstOffset();
            for (int i = 0; i < n; i++) {
                written.put(first + i, new Rec(first + i, ks[i], vs[i]));
            }
        }
        log.updateHighWatermark(log.logEndOffset());
        return written;
    }

    private static List<MutableRecordBatch> readAllBatches(PartitionLog log) {
        return readAllBatches(log, log.logEndOffset());
    }

    /** Every batch ending below {@code limit}. */
    private static List<MutableRecordBatch> readAllBatches(PartitionLog log, long limit) {
        List<MutableRecordBatch> out = new ArrayList<>();
        long offset = log.logStartOffset();
        while (offset < limit) {
            FileSlice slice = log.read(offset, 1 << 20, limit, true).records();
            List<MutableRecordBatch> batches = TestLogs.batchesOf(slice);
            assertThat(batches).as("read at %d", offset).isNotEmpty();
            out.addAll(batches);
            offset = batches.get(batches.size() - 1).nextOffset();
        }
        return out;
    }

    private static List<Rec> readAll(PartitionLog log) {
        return readAll(log, log.logEndOffset());
    }

    private static List<Rec> readAll(PartitionLog log, long limit) {
        List<Rec> out = new ArrayList<>();
        for (MutableRecordBatch batch : readAllBatches(log, limit)) {
            batch.ensureValid();
            for (Record r : batch) {
                out.add(new Rec(r.offset(), r.hasKey() ? StandardCharsets.UTF_8.decode(r.key()).toString() : null,
                        r.hasValue() ? StandardCharsets.UTF_8.decode(r.value()).toString() : null));
            }
        }
        return out;
    }

    private static Map<String, Rec> latestPerKey(TreeMap<Long, Rec> written) {
        Map<String, Rec> latest = new HashMap<>();
        for (Rec r : written.values()) {
            latest.put(r.key(), r);
        }
        return latest;
    }

    private static Path activeSegmentFile(PartitionLog log) {
        List<Long> bases = log.segmentBaseOffsets();
        return log.dir().resolve(LogSegment.fileName(bases.get(bases.size() - 1), LogSegment.LOG_SUFFIX));
    }

    /** Checks what compaction promises for the section below {@code cleanedUpTo}. */
    private static void assertCompacted(List<Rec> read, TreeMap<Long, Rec> written, long cleanedUpTo,
                                        boolean tombstonesKept) {
        Map<String, Rec> latest = latestPerKey(written);
        long previous = -1;
        Map<String, Long> seenInCleaned = new HashMap<>();
        for (Rec r : read) {
            assertThat(r.offset()).isGreaterThan(previous);
            previous = r.offset();
            assertThat(written.get(r.offset())).as("record at its original offset").isEqualTo(r);
            if (r.offset() < cleanedUpTo) {
                assertThat(seenInCleaned.put(r.key(), r.offset())).as("one record per key: %s", r.key()).isNull();
                if (latest.get(r.key()).offset() < cleanedUpTo) {
                    assertThat(r).isEqualTo(latest.get(r.key()));
                }
                if (!tombstonesKept) {
                    assertThat(r.value()).as("tombstone past delete.retention.ms").isNotNull();
                }
            }
        }
        Map<Long, Rec> byOffset = new HashMap<>();
        read.forEach(r -> byOffset.put(r.offset(), r));
        for (Rec r : written.values()) {
            if (r.offset() >= cleanedUpTo) {
                assertThat(byOffset.get(r.offset())).as("dirty record untouched").isEqualTo(r);
            }
        }
        for (Rec r : latest.values()) {
            if (r.value() != null || tombstonesKept || r.offset() >= cleanedUpTo) {
                assertThat(byOffset.get(r.offset())).as("latest of %s", r.key()).isEqualTo(r);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1L, 7L, 42L, 1234L})
    void compactionKeepsTheLatestValuePerKeyAtItsOriginalOffset(long seed) throws Exception {
        PartitionLog log = start(compacted());
        TreeMap<Long, Rec> written = writeUpdates(log, "none", 120, 12, seed);
        int segmentsBefore = log.segmentCount();
        Path active = activeSegmentFile(log);
        byte[] activeBytes = Files.readAllBytes(active);
        long activeBase = log.segmentBaseOffsets().get(segmentsBefore - 1);

        CompactionPass.Result result = manager.cleaner().clean(log);

        assertThat(result).isNotNull();
        assertThat(result.cleanedUpToOffset()).isEqualTo(activeBase);
        assertThat(Files.readAllBytes(active)).as("active segment untouched").isEqualTo(activeBytes);
        assertCompacted(readAll(log), written, activeBase, true);
        // Segments are grouped by their size before cleaning (as Kafka does), so full segments merge
        // only on the next cleaning, once they have shrunk.
        assertThat(manager.cleaner().clean(log)).isNotNull();
        assertThat(log.segmentCount()).isLessThan(segmentsBefore);
        assertThat(Files.readAllBytes(active)).as("active segment untouched").isEqualTo(activeBytes);
        assertThat(log.sizeBytes()).isLessThan(written.size() * 30L);
        List<Rec> read = readAll(log);
        assertCompacted(read, written, activeBase, true);
        for (Rec r : read) {
            List<MutableRecordBatch> batches = TestLogs.batchesOf(log.read(r.offset(), 1, Long.MAX_VALUE, true).records());
            assertThat(batches.get(0).baseOffset()).isLessThanOrEqualTo(r.offset());
            assertThat(batches.get(0).lastOffset()).isGreaterThanOrEqualTo(r.offset());
        }
        assertThat(manager.cleaner().cleanedUpTo("t", 0)).isEqualTo(activeBase);
        assertThat(CheckpointFile.read(dir.resolve(LogCleaner.CHECKPOINT_FILE))).containsExactly("t 0 " + activeBase);
    }

    @Test
    void tombstonesSurviveUntilDeleteRetentionPasses() throws Exception {
        PartitionLog log = start(compacted());
        TreeMap<Long, Rec> written = writeUpdates(log, "none", 120, 12, 5L);
        long activeBase = log.segmentBaseOffsets().get(log.segmentCount() - 1);
        assertThat(latestPerKey(written).values()).anyMatch(r -> r.value() == null && r.offset() < activeBase);

        manager.cleaner().clean(log);
        time.advance(DELETE_RETENTION_MS - 1);
        manager.cleaner().clean(log);
        assertCompacted(readAll(log), written, activeBase, true);
        assertThat(readAll(log)).anyMatch(r -> r.value() == null && r.offset() < activeBase);

        time.advance(2);
        assertThat(manager.cleaner().cleanOnce()).as("expired tombstones make the log cleanable").isTrue();
        assertCompacted(readAll(log), written, activeBase, false);
        assertThat(readAll(log)).noneMatch(r -> r.value() == null && r.offset() < activeBase);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "lz4", "zstd", "snappy"})
    void compressedBatchesKeepTheirCodec(String codec) throws Exception {
        PartitionLog log = start(compacted().withSegmentBytes(700));
        TreeMap<Long, Rec> written = writeUpdates(log, codec, 100, 8, 3L);
        long activeBase = log.segmentBaseOffsets().get(log.segmentCount() - 1);

        assertThat(manager.cleaner().clean(log)).isNotNull();

        List<MutableRecordBatch> batches = readAllBatches(log);
        assertThat(batches).allSatisfy(b -> assertThat(b.compressionType()).isEqualTo(CompressionType.forName(codec)));
        assertCompacted(readAll(log), written, activeBase, true);
    }

    @Test
    void compactedLogReloadsAfterCloseAndReopen() throws Exception {
        PartitionLog log = start(compacted());
        TreeMap<Long, Rec> written = writeUpdates(log, "lz4", 120, 10, 11L);
        long activeBase = log.segmentBaseOffsets().get(log.segmentCount() - 1);
        manager.cleaner().clean(log);
        List<Rec> before = readAll(log);
        long end = log.logEndOffset();
        manager.close();

        PartitionLog reopened = start(compacted());
        assertThat(reopened.logEndOffset()).isEqualTo(end);
        reopened.updateHighWatermark(end);
        assertThat(readAll(reopened)).isEqualTo(before);
        assertCompacted(readAll(reopened), written, activeBase, true);
        assertThat(manager.cleaner().cleanedUpTo("t", 0)).isEqualTo(activeBase);
        assertThat(reopened.appendAsLeader(keyed("none", 1L, new String[] {"k"}, new String[] {"v"}), 1).firstOffset())
                .isEqualTo(end);
    }

    @Test
    void interruptedSwapIsCompletedAndLeftoverCleanedFilesAreDropped() throws Exception {
        PartitionLog log = start(compacted());
        TreeMap<Long, Rec> written = writeUpdates(log, "none", 120, 10, 17L);
        long activeBase = log.segmentBaseOffsets().get(log.segmentCount() - 1);
        manager.close();
        Path partition = dir.resolve("t-0");
        Path original = Files.createDirectory(dir.resolve("original"));
        copyFiles(partition, original);

        PartitionLog cleanedLog = start(compacted());
        cleanedLog.updateHighWatermark(cleanedLog.logEndOffset());
        manager.cleaner().clean(cleanedLog);
        manager.cleaner().clean(cleanedLog);
        List<Rec> cleaned = readAll(cleanedLog);
        long firstBase = cleanedLog.segmentBaseOffsets().get(0);
        long secondBase = cleanedLog.segmentBaseOffsets().get(1);
        manager.close();
        manager = null;

        // A crash after the first cleaned segment became .swap: originals still in place, next to it.
        Path swapLog = partition.resolve(LogSegment.fileName(firstBase, LogSegment.LOG_SUFFIX));
        Path swapSource = Files.copy(swapLog, dir.resolve("swap.tmp"));
        deleteFiles(partition);
        copyFiles(original, partition);
        Files.move(swapSource, partition.resolve(LogSegment.fileName(firstBase, LogSegment.LOG_SUFFIX)
                + LogSegment.SWAP_SUFFIX));
        // A half-written .cleaned segment of a later cleaning.
        Files.write(partition.resolve(LogSegment.fileName(activeBase, LogSegment.LOG_SUFFIX)
                + LogSegment.CLEANED_SUFFIX), new byte[] {1, 2, 3});
        Files.deleteIfExists(dir.resolve(LogManager.CLEAN_SHUTDOWN_FILE));
        Files.deleteIfExists(dir.resolve(LogCleaner.CHECKPOINT_FILE));

        PartitionLog recovered = start(compacted());
        recovered.updateHighWatermark(recovered.logEndOffset());
        List<Rec> read = readAll(recovered);
        long swapEnd = cleaned.stream().filter(r -> r.offset() < secondBase).mapToLong(Rec::offset).max()
                .orElseThrow();
        assertThat(read.stream().filter(r -> r.offset() <= swapEnd).toList())
                .isEqualTo(cleaned.stream().filter(r -> r.offset() <= swapEnd).toList());
        long previous = -1;
        for (Rec r : read) {
            assertThat(r.offset()).isGreaterThan(previous);
            previous = r.offset();
            assertThat(written.get(r.offset())).isEqualTo(r);
        }
        try (Stream<Path> files = Files.list(partition)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.endsWith(LogSegment.SWAP_SUFFIX) || n.endsWith(LogSegment.CLEANED_SUFFIX));
        }
        assertThat(manager.cleaner().clean(recovered)).isNotNull();
        assertCompacted(readAll(recovered), written, activeBase, true);
    }

    private static void copyFiles(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void deleteFiles(Path in) throws Exception {
        try (Stream<Path> files = Files.list(in)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
    }

    @Test
    void compactDeletePolicyAlsoAppliesRetentionButCompactAloneDoesNot() throws Exception {
        PartitionLog log = start(compacted().withRetention(1_000, -1));
        writeUpdates(log, "none", 60, 5, 2L);
        time.advance(1_001);
        assertThat(manager.deleteOldSegments()).as("compact only: no time retention").isZero();

        log.updateConfig(compacted().withRetention(1_000, -1).withCleanupPolicy(true, true));
        assertThat(manager.deleteOldSegments()).isPositive();
        assertThat(log.segmentCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource({"none,true", "gzip,true", "zstd,true", "none,false"})
    void keylessRecordsAreRejectedOnCompactedTopics(String codec, boolean compact) throws Exception {
        PartitionLog log = start(compacted().withCleanupPolicy(compact, !compact));
        ByteBuffer keyless = keyed(codec, 1L, new String[] {"a", null}, new String[] {"1", "2"});
        if (compact) {
            assertThatThrownBy(() -> log.appendAsLeader(keyless, 1)).isInstanceOfSatisfying(MillraceException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_RECORD));
            assertThat(log.logEndOffset()).isZero();
        } else {
            assertThat(log.appendAsLeader(keyless, 1).lastOffset()).isEqualTo(1);
        }
    }

    @Test
    void recordsNewerThanMinCompactionLagAreNotCleaned() throws Exception {
        PartitionLog log = start(compacted().withCompactionLag(60_000, Long.MAX_VALUE));
        TreeMap<Long, Rec> written = writeUpdates(log, "none", 80, 5, 9L);

        assertThat(manager.cleaner().clean(log)).isNull();
        assertThat(readAll(log)).hasSize(written.size());

        time.advance(60_001);
        assertThat(manager.cleaner().clean(log)).isNotNull();
        assertThat(readAll(log).size()).isLessThan(written.size());
    }

    @Test
    void cleanerNeverCleansAboveTheHighWatermark() throws Exception {
        PartitionLog log = start(compacted());
        TreeMap<Long, Rec> written = writeUpdates(log, "none", 80, 5, 4L);
        log.updateHighWatermark(0);

        assertThat(manager.cleaner().clean(log)).isNull();
        assertThat(readAll(log)).hasSize(written.size());
    }

    @Test
    void cleanerThreadCleansTheDirtiestLogWhenWoken() throws Exception {
        startManager(3_600_000);
        PartitionLog dirty = manager.getOrCreateLog("dirty", UUID.randomUUID(), 0, compacted());
        PartitionLog plain = manager.getOrCreateLog("plain", UUID.randomUUID(), 0,
                compacted().withCleanupPolicy(false, true));
        TreeMap<Long, Rec> written = writeUpdates(dirty, "none", 100, 4, 8L);
        writeUpdates(plain, "none", 100, 4, 8L);
        long plainSize = plain.sizeBytes();

        manager.cleaner().wakeup();

        await().until(() -> manager.cleaner().cleanedUpTo("dirty", 0) > 0);
        assertThat(readAll(dirty).size()).isLessThan(written.size());
        assertThat(plain.sizeBytes()).isEqualTo(plainSize);
        assertThat(manager.cleaner().cleanedUpTo("plain", 0)).isEqualTo(-1);
        assertThat(Thread.getAllStackTraces().keySet()).anyMatch(t -> t.getName().equals(LogCleaner.THREAD_NAME));
    }

    @Test
    void cleanableLogBelowTheDirtyRatioIsLeftAlone() throws Exception {
        PartitionLog log = start(compacted().withMinCleanableDirtyRatio(0.99));
        writeUpdates(log, "none", 100, 4, 8L);
        assertThat(manager.cleaner().cleanOnce()).as("never cleaned: dirty ratio 1").isTrue();
        assertThat(manager.cleaner().cleanOnce()).as("nothing dirty").isFalse();
        int segments = log.segmentCount();
        writeUpdates(log, "none", 10, 4, 9L);
        assertThat(log.segmentCount()).as("a new segment was sealed").isGreaterThan(segments);
        assertThat(manager.cleaner().cleanOnce()).as("dirty ratio below 0.99").isFalse();
    }

    @Test
    void batchesLargerThanTheReadBufferAreCleaned() throws Exception {
        PartitionLog log = start(compacted().withSegmentBytes(2_000));
        String big = "x".repeat(400);
        TreeMap<Long, Rec> written = new TreeMap<>();
        for (int i = 0; i < 30; i++) {
            String key = "key-" + (i % 3);
            long offset = log.appendAsLeader(keyed("none", 1L, new String[] {key}, new String[] {big + i}), 1)
                    .firstOffset();
            written.put(offset, new Rec(offset, key, big + i));
        }
        log.updateHighWatermark(log.logEndOffset());
        long activeBase = log.segmentBaseOffsets().get(log.segmentCount() - 1);

        assertThat(manager.cleaner().clean(log)).isNotNull();

        assertCompacted(readAll(log), written, activeBase, true);
    }

    @Test
    void maxCompactionLagForcesCleaningBelowTheDirtyRatio() throws Exception {
        PartitionLog log = start(compacted().withMinCleanableDirtyRatio(0.99).withCompactionLag(0, 5_000));
        writeUpdates(log, "none", 100, 4, 8L);
        assertThat(manager.cleaner().cleanOnce()).isTrue();
        writeUpdates(log, "none", 10, 4, 9L);
        assertThat(manager.cleaner().cleanOnce()).as("dirty ratio below 0.99").isFalse();

        time.advance(5_001);

        assertThat(manager.cleaner().cleanOnce()).as("dirty records older than max.compaction.lag.ms").isTrue();
    }

    @Test
    void truncationBelowTheCleanedSectionLowersTheCheckpoint() throws Exception {
        PartitionLog log = start(compacted());
        writeUpdates(log, "none", 100, 4, 8L);
        long cleanedUpTo = manager.cleaner().clean(log).cleanedUpToOffset();
        long target = cleanedUpTo - 5;

        log.truncateTo(target);

        assertThat(manager.cleaner().cleanedUpTo("t", 0)).isEqualTo(Math.min(cleanedUpTo, log.logEndOffset()))
                .isLessThan(cleanedUpTo);
    }

    @Test
    void cleanedSegmentsAreReadableByKafkasOwnFileRecords() throws Exception {
        PartitionLog log = start(compacted());
        writeUpdates(log, "zstd", 120, 10, 21L);
        manager.cleaner().clean(log);
        manager.cleaner().clean(log);
        int batches = 0;
        try (Stream<Path> files = Files.list(log.dir())) {
            for (Path file : files.filter(p -> p.toString().endsWith(LogSegment.LOG_SUFFIX)).toList()) {
                try (org.apache.kafka.common.record.internal.FileRecords records =
                             org.apache.kafka.common.record.internal.FileRecords.open(file.toFile())) {
                    for (var batch : records.batches()) {
                        batch.ensureValid();
                        batches++;
                    }
                }
            }
        }
        assertThat(batches).isPositive();
    }

    @Test
    void producersAndReadersRunWhileTheCleanerThreadCompacts() throws Exception {
        manager = new LogManager(dir, FlushPolicy.RELAXED, 60_000, time, 3_600_000, 60_000,
                new LogCleaner.Settings(5, 512, 1L << 20, Long.MAX_VALUE));
        manager.startup();
        PartitionLog log = manager.getOrCreateLog("t", topicId, 0, compacted().withMinCleanableDirtyRatio(0.1));
        Map<Long, Rec> written = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread writer = new Thread(() -> {
            Random random = new Random(99);
            for (int b = 0; b < 1_500; b++) {
                String key = "key-" + random.nextInt(20);
                String value = random.nextInt(10) == 0 ? null : "value-" + b;
                long offset = log.appendAsLeader(keyed("none", 1L, new String[] {key}, new String[] {value}), 1)
                        .firstOffset();
                written.put(offset, new Rec(offset, key, value));
                log.updateHighWatermark(log.logEndOffset());
                if (b % 50 == 0) {
                    manager.cleaner().wakeup();
                }
            }
            done.set(true);
        });
        writer.start();
        int passes = 0;
        while (!done.get() || passes < 3) {
            long previous = -1;
            for (Rec r : readAll(log, log.highWatermark())) {
                assertThat(r.offset()).isGreaterThan(previous);
                previous = r.offset();
                assertThat(written.get(r.offset())).isEqualTo(r);
            }
            passes++;
        }
        writer.join();
        assertThat(manager.cleaner().cleaningsCompleted()).as("cleanings ran while producing").isGreaterThan(1);
        long activeBase = log.segmentBaseOffsets().get(log.segmentCount() - 1);
        manager.cleaner().wakeup();
        await().until(() -> manager.cleaner().cleanedUpTo("t", 0) == activeBase);
        assertCompacted(readAll(log), new TreeMap<>(written), activeBase, true);
    }
}
