package io.millrace.protocol.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.MillraceException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BatchRecompressorTest {

    private static final List<String> CODECS = List.of("uncompressed", "gzip", "snappy", "lz4", "zstd");
    private static final long PRODUCER_ID = 4242L;
    private static final short EPOCH = 7;
    private static final int BASE_SEQUENCE = 100;
    private static final int LEADER_EPOCH = 3;

    static Stream<Arguments> sourceAndTarget() {
        List<Arguments> pairs = new ArrayList<>();
        for (String source : CODECS) {
            for (String target : CODECS) {
                pairs.add(Arguments.of(source, target));
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("sourceAndTarget")
    void plainBatchIsRewrittenWithTheTargetCodecKeepingEveryRecord(String source, String target) {
        ByteBuffer input = batch(source, RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH,
                RecordBatch.NO_SEQUENCE, false, 0L, 5);
        ByteBuffer before = input.duplicate();

        ByteBuffer output = BatchRecompressor.recompress(input, target);

        assertThat(input).isEqualTo(before);
        if (source.equals(target)) {
            assertThat(output).isSameAs(input);
        }
        RecordBatch in = onlyBatch(input);
        RecordBatch out = onlyBatch(output);
        assertThat(out.compressionType()).isEqualTo(type(target));
        assertSameBatch(in, out);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("sourceAndTarget")
    void idempotentBatchKeepsProducerIdEpochAndSequence(String source, String target) {
        ByteBuffer input = batch(source, PRODUCER_ID, EPOCH, BASE_SEQUENCE, false, 0L, 4);

        RecordBatch out = onlyBatch(BatchRecompressor.recompress(input, target));

        assertThat(out.compressionType()).isEqualTo(type(target));
        assertThat(out.producerId()).isEqualTo(PRODUCER_ID);
        assertThat(out.producerEpoch()).isEqualTo(EPOCH);
        assertThat(out.baseSequence()).isEqualTo(BASE_SEQUENCE);
        assertThat(out.lastSequence()).isEqualTo(BASE_SEQUENCE + 3);
        assertThat(out.isTransactional()).isFalse();
        assertSameBatch(onlyBatch(input), out);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("sourceAndTarget")
    void transactionalBatchKeepsItsFlag(String source, String target) {
        ByteBuffer input = batch(source, PRODUCER_ID, EPOCH, BASE_SEQUENCE, true, 0L, 3);

        RecordBatch out = onlyBatch(BatchRecompressor.recompress(input, target));

        assertThat(out.isTransactional()).isTrue();
        assertThat(out.isControlBatch()).isFalse();
        assertThat(out.compressionType()).isEqualTo(type(target));
        assertSameBatch(onlyBatch(input), out);
    }

    @Test
    void producerTypeReturnsTheInputItself() {
        ByteBuffer input = batch("gzip", PRODUCER_ID, EPOCH, BASE_SEQUENCE, false, 0L, 2);
        assertThat(BatchRecompressor.recompress(input, "producer")).isSameAs(input);
    }

    @Test
    void severalBatchesWithMixedCodecsAreAllRewritten() {
        ByteBuffer first = batch("gzip", PRODUCER_ID, EPOCH, 0, false, 0L, 3);
        ByteBuffer second = batch("zstd", PRODUCER_ID, EPOCH, 3, false, 0L, 2);
        ByteBuffer input = concat(first, second);

        ByteBuffer output = BatchRecompressor.recompress(input, "gzip");

        assertThat(output).isNotSameAs(input);
        List<RecordBatch> out = batches(output);
        assertThat(out).hasSize(2);
        assertThat(out).allSatisfy(b -> assertThat(b.compressionType()).isEqualTo(CompressionType.GZIP));
        assertSameBatch(onlyBatch(first), out.get(0));
        assertSameBatch(onlyBatch(second), out.get(1));
        assertThat(output.remaining()).isEqualTo(out.get(0).sizeInBytes() + out.get(1).sizeInBytes());
    }

    @Test
    void severalBatchesAlreadyInTheTargetCodecAreReturnedUnchanged() {
        ByteBuffer input = concat(batch("lz4", PRODUCER_ID, EPOCH, 0, false, 0L, 3),
                batch("lz4", PRODUCER_ID, EPOCH, 3, false, 0L, 2));
        assertThat(BatchRecompressor.recompress(input, "lz4")).isSameAs(input);
    }

    @Test
    void inputPositionIsHonoured() {
        ByteBuffer batch = batch("snappy", PRODUCER_ID, EPOCH, 0, false, 0L, 3);
        ByteBuffer padded = ByteBuffer.allocate(batch.remaining() + 10);
        padded.position(10);
        padded.put(batch.duplicate());
        padded.position(10);

        RecordBatch out = onlyBatch(BatchRecompressor.recompress(padded, "zstd"));

        assertThat(padded.position()).isEqualTo(10);
        assertThat(out.compressionType()).isEqualTo(CompressionType.ZSTD);
        assertSameBatch(onlyBatch(batch), out);
    }

    @Test
    void logAppendTimeBatchKeepsItsTimestampType() {
        ByteBuffer buf = ByteBuffer.allocate(1024);
        MemoryRecordsBuilder builder = MemoryRecords.builder(buf, RecordBatch.MAGIC_VALUE_V2, Compression.NONE,
                TimestampType.LOG_APPEND_TIME, 0L, 1_700_000_999_000L);
        builder.append(1_700_000_000_000L, "k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8));
        ByteBuffer input = builder.build().buffer();

        RecordBatch out = onlyBatch(BatchRecompressor.recompress(input, "gzip"));

        assertThat(out.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(out.maxTimestamp()).isEqualTo(1_700_000_999_000L);
        assertThat(out.compressionType()).isEqualTo(CompressionType.GZIP);
    }

    @Test
    void controlBatchKeepsItsControlRecord() {
        ByteBuffer input = MemoryRecords.withEndTransactionMarker(0L, 1_700_000_000_000L, LEADER_EPOCH,
                PRODUCER_ID, EPOCH, new EndTransactionMarker(ControlRecordType.COMMIT, 5)).buffer();

        RecordBatch out = onlyBatch(BatchRecompressor.recompress(input, "zstd"));

        assertThat(out.isControlBatch()).isTrue();
        assertThat(out.isTransactional()).isTrue();
        assertThat(out.compressionType()).isEqualTo(CompressionType.ZSTD);
        Record record = out.iterator().next();
        assertThat(ControlRecordType.parse(record.key())).isEqualTo(ControlRecordType.COMMIT);
        assertThat(EndTransactionMarker.deserialize(record).coordinatorEpoch()).isEqualTo(5);
        assertSameBatch(onlyBatch(input), out);
    }

    @Test
    void gapsInOffsetDeltasAndALargerLastOffsetDeltaArePreserved() {
        ByteBuffer buf = ByteBuffer.allocate(1024);
        MemoryRecordsBuilder builder = MemoryRecords.builder(buf, RecordBatch.MAGIC_VALUE_V2, Compression.NONE,
                TimestampType.CREATE_TIME, 0L);
        builder.appendWithOffset(0L, 10L, bytes("a"), bytes("1"));
        builder.appendWithOffset(3L, 11L, bytes("b"), bytes("2"));
        builder.overrideLastOffset(5L);
        ByteBuffer input = builder.build().buffer();

        RecordBatch out = onlyBatch(BatchRecompressor.recompress(input, "lz4"));

        assertThat(out.lastOffset()).isEqualTo(5L);
        assertSameBatch(onlyBatch(input), out);
    }

    @Test
    void corruptCrcIsCorruptMessage() {
        ByteBuffer input = batch("uncompressed", RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH,
                RecordBatch.NO_SEQUENCE, false, 0L, 2);
        int last = input.limit() - 1;
        input.put(last, (byte) (input.get(last) ^ 0x5a));

        assertCorrupt(() -> BatchRecompressor.recompress(input, "gzip"));
    }

    @Test
    void truncatedInputIsCorruptMessage() {
        ByteBuffer whole = batch("gzip", PRODUCER_ID, EPOCH, 0, false, 0L, 3);
        ByteBuffer truncated = whole.duplicate();
        truncated.limit(truncated.limit() - 7);
        assertCorrupt(() -> BatchRecompressor.recompress(truncated, "zstd"));

        ByteBuffer trailing = concat(whole, ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertCorrupt(() -> BatchRecompressor.recompress(trailing, "zstd"));
        assertCorrupt(() -> BatchRecompressor.recompress(trailing, "gzip"));
    }

    @Test
    void garbageIsCorruptMessage() {
        byte[] junk = new byte[100];
        for (int i = 0; i < junk.length; i++) {
            junk[i] = (byte) (i * 31 + 7);
        }
        assertCorrupt(() -> BatchRecompressor.recompress(ByteBuffer.wrap(junk), "lz4"));
    }

    @Test
    void unknownTargetIsRejected() {
        ByteBuffer input = batch("gzip", PRODUCER_ID, EPOCH, 0, false, 0L, 1);
        assertThatThrownBy(() -> BatchRecompressor.recompress(input, "brotli"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void validTypesAreKafkasCompressionTypeValues() {
        for (String type : List.of("producer", "uncompressed", "gzip", "snappy", "lz4", "zstd")) {
            assertThat(BatchRecompressor.isValidType(type)).as(type).isTrue();
        }
        for (String type : List.of("none", "GZIP", "", "brotli")) {
            assertThat(BatchRecompressor.isValidType(type)).as(type).isFalse();
        }
        assertThat(BatchRecompressor.isValidType(null)).isFalse();
    }

    @Test
    void explicitLevelIsApplied() {
        ByteBuffer input = batch("uncompressed", PRODUCER_ID, EPOCH, 0, false, 0L, 20);
        RecordBatch out = onlyBatch(BatchRecompressor.recompress(input, "gzip", 9));
        assertThat(out.compressionType()).isEqualTo(CompressionType.GZIP);
        assertSameBatch(onlyBatch(input), out);
    }

    // --- helpers ---

    private static ByteBuffer batch(String codec, long producerId, short epoch, int baseSequence,
                                    boolean transactional, long baseOffset, int count) {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        MemoryRecordsBuilder builder = MemoryRecords.builder(buf, RecordBatch.MAGIC_VALUE_V2, compression(codec),
                TimestampType.CREATE_TIME, baseOffset, RecordBatch.NO_TIMESTAMP, producerId, epoch, baseSequence,
                transactional, LEADER_EPOCH);
        for (int i = 0; i < count; i++) {
            Header[] headers = i % 2 == 0
                    ? new Header[] {new RecordHeader("h" + i, bytes("hv" + i)), new RecordHeader("null", null)}
                    : Record.EMPTY_HEADERS;
            byte[] key = i == 1 ? null : bytes("key-" + i);
            byte[] value = i == 2 ? null : bytes("value-" + i + "-" + "x".repeat(40));
            builder.appendWithOffset(baseOffset + i, 1_700_000_000_000L + i * 3L, key, value, headers);
        }
        return builder.build().buffer();
    }

    private static Compression compression(String codec) {
        return codec.equals("uncompressed") ? Compression.NONE : Compression.of(codec).build();
    }

    private static CompressionType type(String codec) {
        return codec.equals("uncompressed") ? CompressionType.NONE : CompressionType.forName(codec);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ByteBuffer concat(ByteBuffer... parts) {
        int size = 0;
        for (ByteBuffer part : parts) {
            size += part.remaining();
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (ByteBuffer part : parts) {
            out.put(part.duplicate());
        }
        return out.flip();
    }

    private static List<RecordBatch> batches(ByteBuffer buf) {
        List<RecordBatch> out = new ArrayList<>();
        for (RecordBatch batch : MemoryRecords.readableRecords(buf.duplicate()).batches()) {
            batch.ensureValid();
            out.add(batch);
        }
        return out;
    }

    private static RecordBatch onlyBatch(ByteBuffer buf) {
        List<RecordBatch> all = batches(buf);
        assertThat(all).hasSize(1);
        assertThat(all.get(0).sizeInBytes()).isEqualTo(buf.remaining());
        return all.get(0);
    }

    private static void assertSameBatch(RecordBatch in, RecordBatch out) {
        assertThat(out.magic()).isEqualTo(RecordBatch.MAGIC_VALUE_V2);
        assertThat(out.baseOffset()).isEqualTo(in.baseOffset());
        assertThat(out.lastOffset()).isEqualTo(in.lastOffset());
        assertThat(out.countOrNull()).isEqualTo(in.countOrNull());
        assertThat(out.partitionLeaderEpoch()).isEqualTo(in.partitionLeaderEpoch());
        assertThat(out.timestampType()).isEqualTo(in.timestampType());
        assertThat(out.maxTimestamp()).isEqualTo(in.maxTimestamp());
        assertThat(out.producerId()).isEqualTo(in.producerId());
        assertThat(out.producerEpoch()).isEqualTo(in.producerEpoch());
        assertThat(out.baseSequence()).isEqualTo(in.baseSequence());
        assertThat(out.isTransactional()).isEqualTo(in.isTransactional());
        assertThat(out.isControlBatch()).isEqualTo(in.isControlBatch());
        List<Record> inRecords = new ArrayList<>();
        in.forEach(inRecords::add);
        List<Record> outRecords = new ArrayList<>();
        out.forEach(outRecords::add);
        assertThat(outRecords).hasSameSizeAs(inRecords);
        for (int i = 0; i < inRecords.size(); i++) {
            Record a = inRecords.get(i);
            Record b = outRecords.get(i);
            assertThat(b.offset()).isEqualTo(a.offset());
            assertThat(b.timestamp()).isEqualTo(a.timestamp());
            assertThat(b.sequence()).isEqualTo(a.sequence());
            assertThat(b.key()).isEqualTo(a.key());
            assertThat(b.value()).isEqualTo(a.value());
            assertThat(b.headers()).containsExactly(a.headers());
        }
    }

    private static void assertCorrupt(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(MillraceException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT_MESSAGE));
    }
}
