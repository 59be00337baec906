package io.millrace.storage;

import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.FileSlice;
import io.millrace.protocol.MillraceException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartitionLogAppendReadTest {
    @TempDir
    Path dir;
    TestLogs.ManualTime time = new TestLogs.ManualTime(1_000_000L);
    LogManager manager;

    @BeforeEach
    void start() throws Exception {
        manager = new LogManager(dir, FlushPolicy.RELAXED, 60_000, time);
        manager.startup();
    }

    @AfterEach
    void stop() throws Exception {
        manager.close();
    }

    private PartitionLog log(LogConfig config) {
        return manager.getOrCreateLog("orders", UUID.randomUUID(), 0, config);
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void appendedBatchesReadBackWithAssignedOffsetsInEveryCompressionType(String compression) {
        PartitionLog log = log(LogConfig.defaults());
        AppendInfo first = log.appendAsLeader(TestLogs.batch(compression, 10L, "a", "b", "c"), 4);
        AppendInfo second = log.appendAsLeader(TestLogs.batch(compression, 20L, "d", "e"), 5);

        assertThat(first.firstOffset()).isZero();
        assertThat(first.lastOffset()).isEqualTo(2);
        assertThat(first.recordCount()).isEqualTo(3);
        assertThat(second.firstOffset()).isEqualTo(3);
        assertThat(second.lastOffset()).isEqualTo(4);
        assertThat(log.logEndOffset()).isEqualTo(5);

        List<MutableRecordBatch> batches = TestLogs.batchesOf(log.read(0, 1 << 20, Long.MAX_VALUE, false).records());
        assertThat(batches).hasSize(2);
        assertThat(batches.get(0).baseOffset()).isZero();
        assertThat(batches.get(0).partitionLeaderEpoch()).isEqualTo(4);
        assertThat(batches.get(1).baseOffset()).isEqualTo(3);
        assertThat(batches.get(1).partitionLeaderEpoch()).isEqualTo(5);
        List<String> values = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        for (MutableRecordBatch batch : batches) {
            batch.ensureValid();
            for (Record record : batch) {
                values.add(TestLogs.value(record));
                offsets.add(record.offset());
            }
        }
        assertThat(values).containsExactly("a", "b", "c", "d", "e");
        assertThat(offsets).containsExactly(0L, 1L, 2L, 3L, 4L);
    }

    @Test
    void batchWithBadCrcIsRejectedAndNothingIsWritten() {
        PartitionLog log = log(LogConfig.defaults());
        ByteBuffer batch = TestLogs.batch("none", 10L, "hello");
        batch.put(batch.limit() - 2, (byte) (batch.get(batch.limit() - 2) ^ 0x5a));

        assertThatThrownBy(() -> log.appendAsLeader(batch, 0))
                .isInstanceOfSatisfying(MillraceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT_MESSAGE));
        assertThat(log.logEndOffset()).isZero();
        assertThat(log.sizeBytes()).isZero();
    }

    @Test
    void truncatedBatchIsCorrupt() {
        PartitionLog log = log(LogConfig.defaults());
        ByteBuffer batch = TestLogs.batch("none", 10L, "hello");
        batch.limit(batch.limit() - 3);

        assertThatThrownBy(() -> log.appendAsLeader(batch, 0))
                .isInstanceOfSatisfying(MillraceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT_MESSAGE));
        assertThat(log.sizeBytes()).isZero();
    }

    @Test
    void batchLargerThanMaxMessageBytesIsRejected() {
        PartitionLog log = log(LogConfig.defaults().withMaxMessageBytes(100));
        ByteBuffer batch = TestLogs.batch("none", 10L, "x".repeat(200));

        assertThatThrownBy(() -> log.appendAsLeader(batch, 0))
                .isInstanceOfSatisfying(MillraceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MESSAGE_TOO_LARGE));
        assertThat(log.logEndOffset()).isZero();
    }

    @Test
    void logAppendTimeStampsTheBrokerClockAndKeepsTheCrcValid() {
        PartitionLog log = log(LogConfig.defaults().withLogAppendTime(true));
        AppendInfo info = log.appendAsLeader(TestLogs.batch("lz4", 5L, "a", "b"), 0);

        assertThat(info.logAppendTimeMs()).isEqualTo(time.milliseconds());
        MutableRecordBatch batch = TestLogs.batchesOf(log.read(0, 1 << 20, Long.MAX_VALUE, false).records()).get(0);
        batch.ensureValid();
        assertThat(batch.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(batch.maxTimestamp()).isEqualTo(time.milliseconds());
    }

    @ParameterizedTest
    @ValueSource(longs = {1L, 7L, 42L})
    void everyOffsetIsFoundAcrossManyTinySegments(long seed) {
        Random random = new Random(seed);
        PartitionLog log = log(LogConfig.defaults().withSegmentBytes(300).withIndexIntervalBytes(random.nextInt(200)));
        int batches = 60 + random.nextInt(40);
        for (int i = 0; i < batches; i++) {
            int count = 1 + random.nextInt(4);
            String[] values = new String[count];
            for (int j = 0; j < count; j++) {
                values[j] = "v" + random.nextInt(1000);
            }
            log.appendAsLeader(TestLogs.batch(random.nextBoolean() ? "none" : "gzip", i, values), 0);
        }
        assertThat(log.segmentCount()).isGreaterThan(5);

        for (long offset = 0; offset < log.logEndOffset(); offset++) {
            FileSlice slice = log.read(offset, 1, Long.MAX_VALUE, true).records();
            List<MutableRecordBatch> read = TestLogs.batchesOf(slice);
            assertThat(read).as("seed %d offset %d", seed, offset).hasSize(1);
            assertThat(read.get(0).baseOffset()).isLessThanOrEqualTo(offset);
            assertThat(read.get(0).lastOffset()).isGreaterThanOrEqualTo(offset);
        }
    }

    @Test
    void readSmallerThanOneBatchReturnsNothingUnlessMinOneBatch() {
        PartitionLog log = log(LogConfig.defaults());
        log.appendAsLeader(TestLogs.batch("none", 1L, "a".repeat(100)), 0);
        log.appendAsLeader(TestLogs.batch("none", 2L, "b".repeat(100)), 0);

        assertThat(log.read(0, 10, Long.MAX_VALUE, false).records().sizeBytes()).isZero();
        List<MutableRecordBatch> one = TestLogs.batchesOf(log.read(0, 10, Long.MAX_VALUE, true).records());
        assertThat(one).hasSize(1);
        assertThat(one.get(0).baseOffset()).isZero();
    }

    @Test
    void readReturnsOnlyWholeBatchesBelowTheOffsetLimitAndMaxBytes() {
        PartitionLog log = log(LogConfig.defaults());
        int size = TestLogs.batch("none", 1L, "a", "b").remaining();
        for (int i = 0; i < 5; i++) {
            log.appendAsLeader(TestLogs.batch("none", 1L, "a", "b"), 0);
        }

        assertThat(TestLogs.batchesOf(log.read(0, 1 << 20, 6, false).records())).hasSize(3);
        assertThat(TestLogs.batchesOf(log.read(0, 2 * size + size / 2, Long.MAX_VALUE, false).records())).hasSize(2);
        List<MutableRecordBatch> fromMiddle = TestLogs.batchesOf(log.read(3, 1 << 20, Long.MAX_VALUE, false).records());
        assertThat(fromMiddle.get(0).baseOffset()).isEqualTo(2);
        assertThat(log.read(10, 100, Long.MAX_VALUE, false).records().sizeBytes()).isZero();
    }

    @Test
    void readOutsideTheLogIsOffsetOutOfRange() {
        PartitionLog log = log(LogConfig.defaults());
        log.appendAsLeader(TestLogs.batch("none", 1L, "a"), 0);

        assertThatThrownBy(() -> log.read(2, 100, Long.MAX_VALUE, false))
                .isInstanceOfSatisfying(MillraceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OFFSET_OUT_OF_RANGE));
    }

    @Test
    void segmentAndIndexFilesUseKafkaNamesAndAreTrimmedOnRoll() throws Exception {
        PartitionLog log = log(LogConfig.defaults().withSegmentBytes(300).withIndexIntervalBytes(0));
        for (int i = 0; i < 20; i++) {
            log.appendAsLeader(TestLogs.batch("none", i, "value-" + i), 0);
        }
        Path first = log.dir().resolve("00000000000000000000.index");
        assertThat(Files.size(first)).isPositive();
        assertThat(Files.size(first) % 8).isZero();
        assertThat(Files.size(first)).isLessThan(LogConfig.DEFAULT_SEGMENT_INDEX_BYTES);
        assertThat(Files.size(log.dir().resolve("00000000000000000000.timeindex")) % 12).isZero();
        assertThat(log.dir().resolve("partition.metadata")).content().startsWith("version: 0\ntopic_id: ");

        // Kafka's own reader accepts the segment, and each index entry maps a batch's last offset
        // to the position where that batch starts.
        ByteBuffer index = ByteBuffer.wrap(Files.readAllBytes(first));
        try (FileRecords records = FileRecords.open(log.dir().resolve("00000000000000000000.log").toFile())) {
            long expected = 0;
            for (FileChannelRecordBatch batch : records.batches()) {
                batch.ensureValid();
                assertThat(batch.baseOffset()).isEqualTo(expected);
                expected = batch.nextOffset();
            }
            int relativeOffset = index.getInt(0);
            int position = index.getInt(4);
            FileChannelRecordBatch indexed = records.batchesFrom(position).iterator().next();
            assertThat(indexed.lastOffset()).isEqualTo(relativeOffset);
        }
    }

    @Test
    void offsetForTimestampFindsFirstRecordAtOrAfterTarget() {
        PartitionLog log = log(LogConfig.defaults().withSegmentBytes(200).withIndexIntervalBytes(0));
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(TestLogs.batch("none", 100L * (i + 1), "a", "b"), 0);
        }

        assertThat(log.offsetForTimestamp(450)).contains(new TimestampOffset(500, 8));
        assertThat(log.offsetForTimestamp(0)).contains(new TimestampOffset(100, 0));
        assertThat(log.offsetForTimestamp(1001)).isEmpty();
        assertThat(log.offsetOfMaxTimestamp()).contains(new TimestampOffset(1000, 18));
    }
}
