package io.millrace.bench.jmh;

import java.nio.ByteBuffer;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * Builds the inputs of the benchmarks with the Java client's own classes, so the bytes measured
 * are exactly the bytes a real producer or consumer sends.
 */
final class Requests {
    private Requests() {
    }

    /**
     * One uncompressed v2 batch at base offset 0 of {@code valueBytes}-byte records without key,
     * filled until the next record would overflow {@code maxBatchBytes} or {@code maxRecords} is reached.
     */
    static ByteBuffer batch(int maxBatchBytes, int maxRecords, int valueBytes, long timestampMs) {
        byte[] value = new byte[valueBytes];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) ('a' + i % 26);
        }
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(maxBatchBytes), Compression.NONE,
                TimestampType.CREATE_TIME, 0L);
        int records = 0;
        while (records < maxRecords && builder.hasRoomFor(timestampMs, null, value, Record.EMPTY_HEADERS)) {
            builder.append(timestampMs, null, value);
            records++;
        }
        return builder.build().buffer();
    }

    /**
     * A view of {@code batch} whose base offset is 0 again, as a producer sends it: the log patches
     * the base offset (and leader epoch, which needs no reset) in place, and neither is covered by
     * the CRC.
     */
    static ByteBuffer rewound(ByteBuffer batch) {
        batch.putLong(batch.position(), 0L);
        return batch.duplicate();
    }

    /** The number of records in a buffer holding exactly one v2 batch. */
    static int recordCount(ByteBuffer batch) {
        MutableRecordBatch only = MemoryRecords.readableRecords(batch.duplicate()).batches().iterator().next();
        return (int) (only.lastOffset() - only.baseOffset() + 1);
    }

    /** A request frame without its 4-byte size prefix: the header for {@code api} and {@code version}, then the body. */
    static ByteBuffer frame(ApiKeys api, short version, ApiMessage body) {
        RequestHeader header = new RequestHeader(api, version, "millrace-jmh", 1);
        ByteBuffer headerBytes = MessageUtil.toByteBufferAccessor(header.data(), header.headerVersion()).buffer();
        ByteBuffer bodyBytes = MessageUtil.toByteBufferAccessor(body, version).buffer();
        ByteBuffer frame = ByteBuffer.allocate(headerBytes.remaining() + bodyBytes.remaining());
        frame.put(headerBytes).put(bodyBytes).flip();
        return frame;
    }
}
