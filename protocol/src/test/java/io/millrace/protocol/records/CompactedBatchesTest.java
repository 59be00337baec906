package io.millrace.protocol.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.ByteBufferOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CompactedBatchesTest {

    private static final long PRODUCER_ID = 77L;
    private static final short EPOCH = 2;
    private static final int LEADER_EPOCH = 5;

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(ByteBuffer buf) {
        return buf == null ? null : StandardCharsets.UTF_8.decode(buf.duplicate()).toString();
    }

    /** Records k0..k4 with values v0..v4 except a tombstone at delta 3 and a keyless record at delta 4. */
    private static ByteBuffer batch(String codec) {
        MemoryRecordsBuilder builder = new MemoryRecordsBuilder(new ByteBufferOutputStream(256),
                RecordBatch.MAGIC_VALUE_V2, Compression.of(codec).build(), TimestampType.CREATE_TIME, 1000L,
                RecordBatch.NO_TIMESTAMP, PRODUCER_ID, EPOCH, 40, false, false, LEADER_EPOCH, Integer.MAX_VALUE);
        Header[] headers = {new RecordHeader("h", bytes("x"))};
        for (int i = 0; i < 5; i++) {
            byte[] key = i == 4 ? null : bytes("k" + i);
            byte[] value = i == 3 ? null : bytes("v" + i);
            builder.appendWithOffset(1000L + i, 5000L + i, key, value, headers);
        }
        return builder.build().buffer();
    }

    private static MutableRecordBatch only(ByteBuffer buf) {
        List<MutableRecordBatch> out = new ArrayList<>();
        MemoryRecords.readableRecords(buf.duplicate()).batches().forEach(out::add);
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void filterKeepsOffsetsHeaderFieldsAndCodec(String codec) {
        ByteBuffer input = batch(codec);
        CompactedBatches.Filtered kept = CompactedBatches.filter(input,
                (offset, key, tombstone) -> offset == 1001L || offset == 1003L, 99_000L);

        MutableRecordBatch out = only(kept.batch());
        out.ensureValid();
        assertThat(out.baseOffset()).isEqualTo(1000L);
        assertThat(out.lastOffset()).isEqualTo(1004L);
        assertThat(out.compressionType()).isEqualTo(CompressionType.forName(codec));
        assertThat(out.producerId()).isEqualTo(PRODUCER_ID);
        assertThat(out.producerEpoch()).isEqualTo(EPOCH);
        assertThat(out.baseSequence()).isEqualTo(40);
        assertThat(out.partitionLeaderEpoch()).isEqualTo(LEADER_EPOCH);
        assertThat(kept.retainedTombstone()).isTrue();
        assertThat(out.deleteHorizonMs()).hasValue(99_000L);
        assertThat(kept.deleteHorizonMs()).isEqualTo(99_000L);
        List<Record> records = new ArrayList<>();
        out.forEach(records::add);
        assertThat(records).extracting(Record::offset).containsExactly(1001L, 1003L);
        assertThat(records).extracting(Record::timestamp).containsExactly(5001L, 5003L);
        assertThat(string(records.get(0).value())).isEqualTo("v1");
        assertThat(records.get(1).hasValue()).isFalse();
        assertThat(records.get(0).headers()).hasSize(1);
    }

    @Test
    void filterReturnsTheSameBufferWhenEverythingStaysAndNullWhenNothingDoes() {
        ByteBuffer input = MemoryRecords.withRecords(Compression.NONE,
                new org.apache.kafka.common.record.internal.SimpleRecord(1L, bytes("a"), bytes("1"))).buffer();
        assertThat(CompactedBatches.filter(input, (o, k, t) -> true, 5L).batch()).isSameAs(input);
        assertThat(CompactedBatches.filter(input, (o, k, t) -> false, 5L).batch()).isNull();
    }

    @Test
    void keptTombstoneKeepsAnExistingDeleteHorizon() {
        ByteBuffer first = CompactedBatches.filter(batch("lz4"), (o, k, t) -> o >= 1002L, 10_000L).batch();
        CompactedBatches.Filtered second = CompactedBatches.filter(first, (o, k, t) -> true, 20_000L);
        assertThat(second.batch()).isSameAs(first);
        assertThat(second.deleteHorizonMs()).isEqualTo(10_000L);
        assertThat(CompactedBatches.deleteHorizonMs(first)).isEqualTo(10_000L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "zstd"})
    void forEachRecordReportsKeysTombstonesAndKeylessRecords(String codec) {
        List<String> seen = new ArrayList<>();
        CompactedBatches.forEachRecord(batch(codec), (offset, key, tombstone) ->
                seen.add(offset + ":" + string(key) + ":" + tombstone));
        assertThat(seen).containsExactly("1000:k0:false", "1001:k1:false", "1002:k2:false", "1003:k3:true",
                "1004:null:false");
        assertThat(CompactedBatches.hasKeylessRecord(batch(codec))).isTrue();
    }
}
