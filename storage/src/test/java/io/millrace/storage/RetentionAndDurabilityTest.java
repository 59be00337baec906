package io.millrace.storage;

import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.MillraceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class RetentionAndDurabilityTest {
    @TempDir
    Path dir;
    TestLogs.ManualTime time = new TestLogs.ManualTime(1_000_000L);
    LogManager manager;

    private PartitionLog start(FlushPolicy policy, LogConfig config) throws Exception {
        manager = new LogManager(dir, policy, 60_000, time, 3_600_000, 0);
        manager.startup();
        return manager.getOrCreateLog("t", UUID.randomUUID(), 0, config);
    }

    @AfterEach
    void stop() throws Exception {
        manager.close();
    }

    private static void fill(PartitionLog log, int batches, long timestamp) {
        for (int i = 0; i < batches; i++) {
            log.appendAsLeader(TestLogs.batch("none", timestamp, "value-" + i), 0);
        }
        log.updateHighWatermark(log.logEndOffset());
    }

    @Test
    void sizeRetentionDeletesOldestSegmentsAndKeepsTheActiveOne() throws Exception {
        PartitionLog log = start(FlushPolicy.RELAXED, LogConfig.defaults().withSegmentBytes(300).withRetention(-1, 600));
        fill(log, 40, time.milliseconds());
        int before = log.segmentCount();

        assertThat(manager.deleteOldSegments()).isPositive();

        assertThat(log.segmentCount()).isLessThan(before).isGreaterThanOrEqualTo(1);
        // As in Kafka, whole segments go only while the rest still holds retention.bytes.
        assertThat(log.sizeBytes()).isGreaterThanOrEqualTo(600).isLessThan(600 + 300);
        assertThat(log.logStartOffset()).isEqualTo(log.segmentBaseOffsets().get(0)).isPositive();
        assertThatThrownBy(() -> log.read(0, 100, Long.MAX_VALUE, false))
                .isInstanceOfSatisfying(MillraceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OFFSET_OUT_OF_RANGE));
    }

    @Test
    void timeRetentionDeletesEverySealedSegmentButNeverTheActiveOne() throws Exception {
        PartitionLog log = start(FlushPolicy.RELAXED, LogConfig.defaults().withSegmentBytes(300).withRetention(1_000, -1));
        fill(log, 40, time.milliseconds());
        long end = log.logEndOffset();
        assertThat(manager.deleteOldSegments()).isZero();

        time.advance(1_001);
        manager.deleteOldSegments();

        assertThat(log.segmentCount()).isEqualTo(1);
        assertThat(log.logStartOffset()).isEqualTo(log.segmentBaseOffsets().get(0));
        assertThat(log.logEndOffset()).isEqualTo(end);
        assertThat(log.appendAsLeader(TestLogs.batch("none", 1L, "next"), 0).firstOffset()).isEqualTo(end);
    }

    @Test
    void retentionNeverDeletesAboveTheHighWatermark() throws Exception {
        PartitionLog log = start(FlushPolicy.RELAXED, LogConfig.defaults().withSegmentBytes(300).withRetention(-1, 0));
        fill(log, 40, time.milliseconds());
        log.updateHighWatermark(0);

        assertThat(manager.deleteOldSegments()).isZero();
        assertThat(log.logStartOffset()).isZero();
    }

    @Test
    void deleteRecordsMovesLogStartAndDeletesWholeSegmentsBelowIt() throws Exception {
        PartitionLog log = start(FlushPolicy.RELAXED, LogConfig.defaults().withSegmentBytes(300));
        fill(log, 40, time.milliseconds());
        log.updateHighWatermark(30);

        assertThatThrownBy(() -> log.deleteRecordsBefore(31))
                .isInstanceOfSatisfying(MillraceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OFFSET_OUT_OF_RANGE));
        assertThat(log.deleteRecordsBefore(25)).isEqualTo(25);

        assertThat(log.logStartOffset()).isEqualTo(25);
        assertThat(log.segmentBaseOffsets().get(0)).isLessThanOrEqualTo(25).isPositive();
        assertThat(TestLogs.batchesOf(log.read(25, 1, Long.MAX_VALUE, true).records()).get(0).lastOffset()).isEqualTo(25);
        assertThatThrownBy(() -> log.read(24, 100, Long.MAX_VALUE, false)).isInstanceOf(MillraceException.class);
    }

    @Test
    void awaitDurableCompletesAfterGroupCommitFlushUnderDurable() throws Exception {
        PartitionLog log = start(FlushPolicy.DURABLE, LogConfig.defaults());
        List<Long> flushed = new CopyOnWriteArrayList<>();
        log.addFlushListener(flushed::add);

        AppendInfo info = log.appendAsLeader(TestLogs.batch("none", 1L, "a", "b", "c"), 0);
        CompletableFuture<Void> durable = log.awaitDurable(info.lastOffset());

        durable.get(30, TimeUnit.SECONDS);
        assertThat(log.durableEndOffset()).isGreaterThan(info.lastOffset());
        await().atMost(30, TimeUnit.SECONDS).until(() -> !flushed.isEmpty());
        assertThat(flushed).last().isEqualTo(3L);
    }

    @Test
    void manyLogsAppendedFromSeveralThreadsAllBecomeDurableInOrder() throws Exception {
        start(FlushPolicy.DURABLE, LogConfig.defaults());
        int logs = 40;
        List<PartitionLog> partitions = new ArrayList<>();
        List<List<Long>> reported = new ArrayList<>();
        for (int p = 1; p <= logs; p++) {
            PartitionLog log = manager.getOrCreateLog("many", UUID.randomUUID(), p, LogConfig.defaults());
            List<Long> moves = new CopyOnWriteArrayList<>();
            log.addFlushListener(moves::add);
            partitions.add(log);
            reported.add(moves);
        }
        List<CompletableFuture<Void>> durable = new CopyOnWriteArrayList<>();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int writer = w;
            writers.add(new Thread(() -> {
                for (int round = 0; round < 50; round++) {
                    for (int i = writer; i < logs; i += 4) {
                        PartitionLog log = partitions.get(i);
                        AppendInfo info = log.appendAsLeader(TestLogs.batch("none", 1L, "v" + round), 0);
                        durable.add(log.awaitDurable(info.lastOffset()));
                    }
                }
            }));
        }
        writers.forEach(Thread::start);
        for (Thread writer : writers) {
            writer.join();
        }

        CompletableFuture.allOf(durable.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        for (int i = 0; i < logs; i++) {
            PartitionLog log = partitions.get(i);
            assertThat(log.durableEndOffset()).isEqualTo(log.logEndOffset()).isEqualTo(50);
            // Listeners hear of a flush just after its waiters complete, on the flusher's thread.
            List<Long> moves = reported.get(i);
            await().atMost(30, TimeUnit.SECONDS).until(() -> !moves.isEmpty() && moves.get(moves.size() - 1) == 50L);
            // One flusher at a time per log: the durable end it reports only moves forward.
            assertThat(moves).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void awaitDurableCompletesAtOnceUnderRelaxed() throws Exception {
        PartitionLog log = start(FlushPolicy.RELAXED, LogConfig.defaults());
        AppendInfo info = log.appendAsLeader(TestLogs.batch("none", 1L, "a"), 0);

        assertThat(log.awaitDurable(info.lastOffset())).isCompleted();
    }

    @Test
    void endOffsetForEpochAnswersLikeOffsetForLeaderEpoch() throws Exception {
        PartitionLog log = start(FlushPolicy.RELAXED, LogConfig.defaults());
        assertThat(log.endOffsetForEpoch(0)).isEqualTo(EpochEndOffset.UNDEFINED);
        log.appendAsLeader(TestLogs.batch("none", 1L, "a", "b"), 2);
        log.appendAsLeader(TestLogs.batch("none", 1L, "c"), 2);
        log.appendAsLeader(TestLogs.batch("none", 1L, "d", "e"), 5);

        assertThat(log.latestEpoch()).isEqualTo(5);
        assertThat(log.endOffsetForEpoch(2)).isEqualTo(new EpochEndOffset(2, 3));
        assertThat(log.endOffsetForEpoch(4)).isEqualTo(new EpochEndOffset(2, 3));
        assertThat(log.endOffsetForEpoch(1)).isEqualTo(new EpochEndOffset(1, 0));
        assertThat(log.endOffsetForEpoch(5)).isEqualTo(new EpochEndOffset(5, 5));
        assertThat(log.endOffsetForEpoch(6)).isEqualTo(EpochEndOffset.UNDEFINED);
    }

    @Test
    void truncateToRemovesTailAndEpochsAndAllowsNewAppends() throws Exception {
        PartitionLog log = start(FlushPolicy.RELAXED, LogConfig.defaults().withSegmentBytes(300));
        for (int i = 0; i < 30; i++) {
            log.appendAsLeader(TestLogs.batch("none", i, "v" + i), i < 20 ? 1 : 2);
        }

        log.truncateTo(12);

        assertThat(log.logEndOffset()).isEqualTo(12);
        assertThat(log.latestEpoch()).isEqualTo(1);
        assertThat(log.appendAsLeader(TestLogs.batch("none", 1L, "new"), 3).firstOffset()).isEqualTo(12);
        assertThat(TestLogs.batchesOf(log.read(11, 1, Long.MAX_VALUE, true).records()).get(0).baseOffset()).isEqualTo(11L);
        assertThat(TestLogs.batchesOf(log.read(12, 1, Long.MAX_VALUE, true).records()).get(0).baseOffset()).isEqualTo(12L);
        assertThat(log.endOffsetForEpoch(1)).isEqualTo(new EpochEndOffset(1, 12));
    }

    @Test
    void deletedTopicIsRecreatedEmpty() throws Exception {
        PartitionLog log = start(FlushPolicy.DURABLE, LogConfig.defaults());
        fill(log, 5, 1L);

        manager.deleteLog("t", 0);
        PartitionLog recreated = manager.getOrCreateLog("t", UUID.randomUUID(), 0, LogConfig.defaults());

        assertThat(recreated).isNotSameAs(log);
        assertThat(recreated.logEndOffset()).isZero();
        assertThat(manager.getLog("t", 0)).containsSame(recreated);
    }
}
