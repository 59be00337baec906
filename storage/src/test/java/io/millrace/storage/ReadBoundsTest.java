package io.millrace.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link PartitionLog#read} finds the end of a fetch from the offset index instead of reading every
 * batch header; this checks it against the plain definition, batch by batch, on random logs: whole
 * batches from the one holding the start offset, within one segment, each ending below the limit,
 * at most maxBytes in total unless minOneBatch lets the first one through.
 */
class ReadBoundsTest {

    @TempDir
    Path dir;

    private record Batch(long baseOffset, long lastOffset, int size) {
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 2026})
    void readMatchesTheBatchByBatchDefinition(long seed) throws Exception {
        Random random = new Random(seed);
        TestLogs.ManualTime time = new TestLogs.ManualTime(1_000_000L);
        try (LogManager manager = new LogManager(dir, FlushPolicy.RELAXED, 60_000, time)) {
            manager.startup();
            PartitionLog log = manager.getOrCreateLog("bounds", UUID.randomUUID(), 0,
                    LogConfig.defaults().withSegmentBytes(8 * 1024).withIndexIntervalBytes(256 + random.nextInt(1024)));
            List<Batch> batches = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                String[] values = new String[1 + random.nextInt(12)];
                for (int v = 0; v < values.length; v++) {
                    values[v] = "x".repeat(random.nextInt(120));
                }
                ByteBuffer batch = TestLogs.batch("none", 1_000L, values);
                int size = batch.remaining();
                AppendInfo info = log.appendAsLeader(batch, 1);
                batches.add(new Batch(info.firstOffset(), info.lastOffset(), size));
            }
            NavigableSet<Long> segmentBases = log.segmentMap().navigableKeySet();
            assertThat(segmentBases.size()).as("segments").isGreaterThan(5);
            long end = log.logEndOffset();
            for (int q = 0; q < 2_000; q++) {
                long start = (long) random.nextInt((int) end);
                int maxBytes = random.nextInt(4) == 0 ? exactFit(batches, start, random) : 1 + random.nextInt(random.nextBoolean() ? 300 : 20_000);
                long maxOffsetExclusive = start + random.nextInt((int) (end - start) + 5);
                boolean minOneBatch = random.nextBoolean();
                List<Long> expected = expected(batches, segmentBases, start, maxBytes, Math.min(maxOffsetExclusive, end),
                        minOneBatch);
                List<Long> actual = new ArrayList<>();
                for (MutableRecordBatch b : TestLogs.batchesOf(log.read(start, maxBytes, maxOffsetExclusive, minOneBatch).records())) {
                    actual.add(b.baseOffset());
                }
                assertThat(actual).as("read(%d, %d, %d, %b)", start, maxBytes, maxOffsetExclusive, minOneBatch)
                        .isEqualTo(expected);
            }
        }
    }

    /** A maxBytes that ends exactly at a batch boundary a few batches after the start. */
    private static int exactFit(List<Batch> batches, long start, Random random) {
        int i = 0;
        while (batches.get(i).lastOffset() < start) {
            i++;
        }
        int bytes = 0;
        for (int k = 1 + random.nextInt(4); k > 0 && i < batches.size(); k--, i++) {
            bytes += batches.get(i).size();
        }
        return bytes;
    }

    private static List<Long> expected(List<Batch> batches, NavigableSet<Long> segmentBases, long start, int maxBytes,
                                       long limit, boolean minOneBatch) {
        List<Long> result = new ArrayList<>();
        if (start >= limit) {
            return result;
        }
        int i = 0;
        while (batches.get(i).lastOffset() < start) {
            i++;
        }
        long segment = segmentBases.floor(batches.get(i).baseOffset());
        long bytes = 0;
        for (; i < batches.size(); i++) {
            Batch batch = batches.get(i);
            if (segmentBases.floor(batch.baseOffset()) != segment || batch.lastOffset() >= limit) {
                break;
            }
            boolean fits = bytes + batch.size() <= maxBytes;
            if (!fits && !(minOneBatch && result.isEmpty())) {
                break;
            }
            result.add(batch.baseOffset());
            bytes += batch.size();
            if (!fits) {
                break;
            }
        }
        return result;
    }
}
