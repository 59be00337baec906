package io.millrace.storage;

import io.millrace.protocol.FileSlice;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code log.page.cache.retain.bytes}: which byte ranges {@link PageCacheLimit} drops, and that a
 * log whose flushed data was really dropped (the build's test JVM links {@code posix_fadvise})
 * still reads back every record.
 */
class PageCacheLimitTest {
    private static final int SEGMENT_BYTES = 4 << 20;
    private static final String VALUE = "v".repeat(100_000);

    Path dir;
    final List<PartitionLog> opened = new ArrayList<>();

    /** One drop call: file name, offset, length. */
    record Drop(String file, long offset, long length) {
    }

    @BeforeEach
    void createDir() throws IOException {
        Files.createDirectories(Path.of("target"));
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "page-cache-");
    }

    @AfterEach
    void deleteDir() throws IOException {
        for (PartitionLog log : opened) {
            log.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    private PartitionLog log() throws IOException {
        PartitionLog.Builder b = new PartitionLog.Builder();
        b.dir = dir.resolve("t-0");
        Files.createDirectories(b.dir);
        b.topic = "t";
        b.partition = 0;
        b.topicId = UUID.randomUUID();
        b.config = LogConfig.defaults().withSegmentBytes(SEGMENT_BYTES);
        b.time = new TestLogs.ManualTime(1_000_000L);
        b.policy = FlushPolicy.RELAXED;
        b.cleanShutdown = true;
        PartitionLog log = b.load();
        opened.add(log);
        return log;
    }

    /** Appends {@code count} batches of one 100 KB record each. */
    private static void append(PartitionLog log, int count) {
        for (int i = 0; i < count; i++) {
            log.appendAsLeader(TestLogs.batch("none", 1L, VALUE), 0);
        }
    }

    private static PageCacheLimit.Mark drop(List<LogSegment> segments, long retain, PageCacheLimit.Mark mark,
                                            List<Drop> drops) throws IOException {
        return PageCacheLimit.dropBehind(segments, retain, mark,
                (file, offset, length) -> drops.add(new Drop(file.getFileName().toString(), offset, length)));
    }

    private static long pageFloor(long bytes) {
        return bytes / 4096 * 4096;
    }

    @Test
    void nothingIsDroppedWhileTheLogFitsInWhatIsRetained() throws IOException {
        PartitionLog log = log();
        append(log, 100);
        List<Drop> drops = new ArrayList<>();

        PageCacheLimit.Mark mark = drop(log.segmentsInOrder(), 100L << 20, PageCacheLimit.Mark.NONE, drops);

        assertThat(drops).isEmpty();
        assertThat(mark).isSameAs(PageCacheLimit.Mark.NONE);
    }

    @Test
    void sealedSegmentsAreDroppedWholeAndTheActiveOneUpToTheRetainedTail() throws IOException {
        PartitionLog log = log();
        append(log, 100); // about 10 MB: two sealed segments of about 4 MB and an active one of about 2 MB
        List<LogSegment> segments = log.segmentsInOrder();
        assertThat(segments).hasSize(3);
        LogSegment active = segments.get(2);
        long retain = 512 << 10;
        assertThat(active.size() - retain).isGreaterThan(PageCacheLimit.STEP_BYTES);
        List<Drop> drops = new ArrayList<>();

        PageCacheLimit.Mark mark = drop(segments, retain, PageCacheLimit.Mark.NONE, drops);

        long end = pageFloor(active.size() - retain);
        assertThat(drops).containsExactly(
                new Drop(segments.get(0).logFile().getFileName().toString(), 0, segments.get(0).size()),
                new Drop(segments.get(1).logFile().getFileName().toString(), 0, segments.get(1).size()),
                new Drop(active.logFile().getFileName().toString(), 0, end));
        assertThat(mark).isEqualTo(new PageCacheLimit.Mark(active.baseOffset(), end));
    }

    @Test
    void laterPassesDropOnlyNewDataAndOnlyOnceAStepOfItHasGathered() throws IOException {
        PartitionLog log = log();
        append(log, 100);
        long retain = 512 << 10;
        List<Drop> drops = new ArrayList<>();
        PageCacheLimit.Mark first = drop(log.segmentsInOrder(), retain, PageCacheLimit.Mark.NONE, drops);
        drops.clear();

        assertThat(drop(log.segmentsInOrder(), retain, first, drops)).isEqualTo(first);
        append(log, 5); // 0.5 MB: less than a step
        assertThat(drop(log.segmentsInOrder(), retain, first, drops)).isEqualTo(first);
        assertThat(drops).isEmpty();

        append(log, 6); // now 1.1 MB past the first pass's end
        List<LogSegment> segments = log.segmentsInOrder();
        LogSegment active = segments.get(segments.size() - 1);
        assertThat(active.baseOffset()).isEqualTo(first.segmentBase());
        PageCacheLimit.Mark second = drop(segments, retain, first, drops);

        long end = pageFloor(active.size() - retain);
        assertThat(drops).containsExactly(new Drop(active.logFile().getFileName().toString(), first.position(),
                end - first.position()));
        assertThat(second).isEqualTo(new PageCacheLimit.Mark(active.baseOffset(), end));
    }

    @Test
    void whatIsRetainedMayReachBackIntoSealedSegments() throws IOException {
        PartitionLog log = log();
        append(log, 100);
        List<LogSegment> segments = log.segmentsInOrder();
        LogSegment middle = segments.get(1);
        long retain = segments.get(2).size() + (1 << 20); // the active segment and 1 MiB of the one before
        List<Drop> drops = new ArrayList<>();

        PageCacheLimit.Mark mark = drop(segments, retain, PageCacheLimit.Mark.NONE, drops);

        long end = pageFloor(middle.size() - (1 << 20));
        assertThat(drops).containsExactly(
                new Drop(segments.get(0).logFile().getFileName().toString(), 0, segments.get(0).size()),
                new Drop(middle.logFile().getFileName().toString(), 0, end));
        assertThat(mark).isEqualTo(new PageCacheLimit.Mark(middle.baseOffset(), end));
    }

    @Test
    void aSegmentTruncatedBelowTheMarkStartsOverFromItsNewEnd() throws IOException {
        PartitionLog log = log();
        append(log, 100);
        List<LogSegment> segments = log.segmentsInOrder();
        LogSegment active = segments.get(2);
        PageCacheLimit.Mark beyond = new PageCacheLimit.Mark(active.baseOffset(), active.size() + (8L << 20));
        List<Drop> drops = new ArrayList<>();

        PageCacheLimit.Mark mark = drop(segments, 0, beyond, drops);

        assertThat(drops).isEmpty(); // the sealed segments lie below the mark's segment: dropped before
        assertThat(mark).isEqualTo(new PageCacheLimit.Mark(active.baseOffset(), pageFloor(active.size())));
    }

    @Test
    void aLogWhoseFlushedDataWasDroppedReadsBackEveryRecord() throws Exception {
        Path logDir = dir.resolve("logs");
        LogManager manager = new LogManager(logDir, FlushPolicy.DURABLE, 60_000, new TestLogs.ManualTime(0));
        manager.limitPageCache(0);
        manager.startup();
        try {
            PartitionLog log = manager.getOrCreateLog("t", UUID.randomUUID(), 0,
                    LogConfig.defaults().withSegmentBytes(SEGMENT_BYTES));
            long last = -1;
            for (int i = 0; i < 100; i++) {
                last = log.appendAsLeader(TestLogs.batch("none", 1L, VALUE + i), 0).lastOffset();
            }
            log.awaitDurable(last).get(30, TimeUnit.SECONDS);
            PageCacheLimit limit = manager.pageCacheLimit();
            // posix_fadvise is linked (the build's test JVM has the foreign-linker options) and used
            await().atMost(30, TimeUnit.SECONDS).until(() -> limit.droppedBytes() >= 8L << 20);

            List<String> values = new ArrayList<>();
            long next = 0;
            while (next <= last) {
                FileSlice slice = log.read(next, 1 << 20, Long.MAX_VALUE, true).records();
                for (MutableRecordBatch batch : TestLogs.batchesOf(slice)) {
                    for (Record record : batch) {
                        values.add(TestLogs.value(record));
                    }
                    next = batch.lastOffset() + 1;
                }
            }
            assertThat(values).hasSize(100);
            for (int i = 0; i < 100; i++) {
                assertThat(values.get(i)).isEqualTo(VALUE + i);
            }
        } finally {
            manager.close();
        }
    }
}
