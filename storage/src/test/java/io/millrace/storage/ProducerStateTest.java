package io.millrace.storage;

import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.MillraceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProducerStateTest {
    private static final long PID = 4711L;
    private static final UUID TOPIC_ID = UUID.randomUUID();

    @TempDir
    Path dir;
    LogManager manager;
    PartitionLog log;

    @BeforeEach
    void start() throws Exception {
        open();
    }

    private void open() throws Exception {
        manager = new LogManager(dir, FlushPolicy.RELAXED, 60_000, new TestLogs.ManualTime(0));
        manager.startup();
        log = manager.getOrCreateLog("payments", TOPIC_ID, 3, LogConfig.defaults().withSegmentBytes(400));
    }

    @AfterEach
    void stop() throws Exception {
        manager.close();
    }

    @Test
    void retriedBatchReturnsOriginalOffsetsAndWritesNothing() {
        log.appendAsLeader(TestLogs.idempotentBatch(PID, (short) 0, 0, "a", "b"), 0);
        AppendInfo original = log.appendAsLeader(TestLogs.idempotentBatch(PID, (short) 0, 2, "c"), 0);
        long size = log.sizeBytes();

        AppendInfo retry = log.appendAsLeader(TestLogs.idempotentBatch(PID, (short) 0, 2, "c"), 0);

        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.firstOffset()).isEqualTo(original.firstOffset());
        assertThat(retry.lastOffset()).isEqualTo(original.lastOffset());
        assertThat(log.sizeBytes()).isEqualTo(size);
        assertThat(log.logEndOffset()).isEqualTo(3);
    }

    @Test
    void sequenceGapIsOutOfOrder() {
        log.appendAsLeader(TestLogs.idempotentBatch(PID, (short) 0, 0, "a"), 0);

        assertThatThrownBy(() -> log.appendAsLeader(TestLogs.idempotentBatch(PID, (short) 0, 2, "c"), 0))
                .isInstanceOfSatisfying(MillraceException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER));
        assertThat(log.logEndOffset()).isEqualTo(1);
    }

    @Test
    void olderEpochIsFencedAndNewEpochMustStartAtZero() {
        log.appendAsLeader(TestLogs.idempotentBatch(PID, (short) 3, 0, "a"), 0);

        assertThatThrownBy(() -> log.appendAsLeader(TestLogs.idempotentBatch(PID, (short) 2, 1, "b"), 0))
                .isInstanceOfSatisfying(MillraceException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PRODUCER_EPOCH));
        assertThatThrownBy(() -> log.appendAsLeader(TestLogs.idempotentBatch(PID, (short) 4, 5, "b"), 0))
                .isInstanceOfSatisfying(MillraceException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER));
        AppendInfo bumped = log.appendAsLeader(TestLogs.idempotentBatch(PID, (short) 4, 0, "b"), 0);
        assertThat(bumped.firstOffset()).isEqualTo(1);
    }

    @Test
    void sequenceWrapsAfterIntegerMaxValue() {
        log.appendAsLeader(TestLogs.idempotentBatch(PID, (short) 0, Integer.MAX_VALUE - 1, "a", "b"), 0);

        AppendInfo wrapped = log.appendAsLeader(TestLogs.idempotentBatch(PID, (short) 0, 0, "c"), 0);

        assertThat(wrapped.firstOffset()).isEqualTo(2);
    }

    @Test
    void producerStateSurvivesRestartFromSnapshotAndReplay() throws Exception {
        for (int seq = 0; seq < 30; seq++) {
            log.appendAsLeader(TestLogs.idempotentBatch(PID, (short) 1, seq, "value-" + seq), 0);
        }
        assertThat(log.segmentCount()).isGreaterThan(1);
        manager.close();
        open();

        AppendInfo retry = log.appendAsLeader(TestLogs.idempotentBatch(PID, (short) 1, 29, "value-29"), 0);
        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.firstOffset()).isEqualTo(29);
        assertThatThrownBy(() -> log.appendAsLeader(TestLogs.idempotentBatch(PID, (short) 1, 31, "x"), 0))
                .isInstanceOfSatisfying(MillraceException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER));
        assertThat(log.appendAsLeader(TestLogs.idempotentBatch(PID, (short) 1, 30, "x"), 0).firstOffset()).isEqualTo(30);
    }

    @Test
    void producerStateIsRebuiltByReplayWhenSnapshotsAreMissing() throws Exception {
        for (int seq = 0; seq < 10; seq++) {
            log.appendAsLeader(TestLogs.idempotentBatch(PID, (short) 1, seq, "value-" + seq), 0);
        }
        manager.close();
        for (long offset : ProducerSnapshotFile.list(log.dir())) {
            java.nio.file.Files.delete(ProducerSnapshotFile.path(log.dir(), offset));
        }
        open();

        assertThat(log.appendAsLeader(TestLogs.idempotentBatch(PID, (short) 1, 9, "value-9"), 0).duplicate()).isTrue();
        assertThat(log.appendAsLeader(TestLogs.idempotentBatch(PID, (short) 1, 8, "value-8"), 0).duplicate()).isTrue();
    }

    @Test
    void multiBatchRequestIsSequencedBatchByBatchAndItsRetryReturnsTheOriginalOffsets() {
        log.appendAsLeader(TestLogs.batch("none", 1L, "unrelated"), 0);
        AppendInfo original = log.appendAsLeader(TestLogs.concat(
                TestLogs.idempotentBatch(PID, (short) 0, 0, "a", "b"),
                TestLogs.idempotentBatch(PID, (short) 0, 2, "c")), 0);
        long size = log.sizeBytes();

        AppendInfo retry = log.appendAsLeader(TestLogs.concat(
                TestLogs.idempotentBatch(PID, (short) 0, 0, "a", "b"),
                TestLogs.idempotentBatch(PID, (short) 0, 2, "c")), 0);

        assertThat(original.duplicate()).isFalse();
        assertThat(original.firstOffset()).isEqualTo(1);
        assertThat(original.lastOffset()).isEqualTo(3);
        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.firstOffset()).isEqualTo(1);
        assertThat(retry.lastOffset()).isEqualTo(3);
        assertThat(retry.recordCount()).isEqualTo(3);
        assertThat(log.sizeBytes()).isEqualTo(size);
        assertThat(log.logEndOffset()).isEqualTo(4);
        AppendInfo next = log.appendAsLeader(TestLogs.concat(
                TestLogs.idempotentBatch(PID, (short) 0, 3, "d"),
                TestLogs.idempotentBatch(PID, (short) 0, 4, "e")), 0);
        assertThat(next.firstOffset()).isEqualTo(4);
        assertThat(next.lastOffset()).isEqualTo(5);
    }

    @Test
    void retryOfBatchesWrittenByDifferentRequestsReturnsTheirOffsetRange() {
        log.appendAsLeader(TestLogs.idempotentBatch(PID, (short) 0, 0, "a"), 0);
        log.appendAsLeader(TestLogs.idempotentBatch(PID, (short) 0, 1, "b", "c"), 0);

        AppendInfo retry = log.appendAsLeader(TestLogs.concat(
                TestLogs.idempotentBatch(PID, (short) 0, 0, "a"),
                TestLogs.idempotentBatch(PID, (short) 0, 1, "b", "c")), 0);

        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.firstOffset()).isZero();
        assertThat(retry.lastOffset()).isEqualTo(2);
        assertThat(log.logEndOffset()).isEqualTo(3);
    }

    @Test
    void sequenceGapInsideAMultiBatchRequestIsOutOfOrderAndNothingIsWritten() {
        assertThatThrownBy(() -> log.appendAsLeader(TestLogs.concat(
                TestLogs.idempotentBatch(PID, (short) 0, 0, "a"),
                TestLogs.idempotentBatch(PID, (short) 0, 2, "c")), 0))
                .isInstanceOfSatisfying(MillraceException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER));
        assertThat(log.logEndOffset()).isZero();
        assertThat(log.sizeBytes()).isZero();

        assertThat(log.appendAsLeader(TestLogs.idempotentBatch(PID, (short) 0, 0, "a"), 0).firstOffset()).isZero();
    }

    @Test
    void sequenceRepeatedInsideOneRequestIsOutOfOrder() {
        assertThatThrownBy(() -> log.appendAsLeader(TestLogs.concat(
                TestLogs.idempotentBatch(PID, (short) 0, 0, "a"),
                TestLogs.idempotentBatch(PID, (short) 0, 0, "a")), 0))
                .isInstanceOfSatisfying(MillraceException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER));
        assertThat(log.logEndOffset()).isZero();
    }

    @Test
    void requestMixingRetriedAndNewBatchesIsRejectedAndNothingIsWritten() {
        log.appendAsLeader(TestLogs.idempotentBatch(PID, (short) 0, 0, "a"), 0);
        long size = log.sizeBytes();

        assertThatThrownBy(() -> log.appendAsLeader(TestLogs.concat(
                TestLogs.idempotentBatch(PID, (short) 0, 0, "a"),
                TestLogs.idempotentBatch(PID, (short) 0, 1, "b")), 0))
                .isInstanceOfSatisfying(MillraceException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER));
        assertThat(log.logEndOffset()).isEqualTo(1);
        assertThat(log.sizeBytes()).isEqualTo(size);

        assertThat(log.appendAsLeader(TestLogs.idempotentBatch(PID, (short) 0, 1, "b"), 0).firstOffset()).isEqualTo(1);
    }
}
