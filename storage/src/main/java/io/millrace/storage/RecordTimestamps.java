package io.millrace.storage;

import java.nio.ByteBuffer;

/**
 * Finds the first record at or after a timestamp inside one record batch, for ListOffsets.
 *
 * <p>Uncompressed batches are walked record by record (varint-encoded records as in Kafka's
 * {@code DefaultRecord}), which gives Kafka's exact answer. Compressed bodies are not decompressed
 * by the storage module, so for them the answer is batch-grained: the batch's base offset and its
 * maximum timestamp. Under LogAppendTime every record carries the batch's timestamp, so the
 * batch-grained answer is exact there too. Stateless; safe from any thread.
 */
final class RecordTimestamps {
    private RecordTimestamps() {
    }

    /**
     * @param batch a buffer holding exactly one whole batch from position 0
     * @return the first record with timestamp >= target, or null if none in this batch
     */
    static TimestampOffset firstAtOrAfter(ByteBuffer batch, long target) {
        BatchHeader header = BatchHeader.read(batch, 0, 0);
        if (header.maxTimestamp() < target) {
            return null;
        }
        boolean logAppendTime = (header.attributes() & BatchFormat.TIMESTAMP_TYPE_MASK) != 0;
        if (logAppendTime || header.compressionType() != 0) {
            return new TimestampOffset(header.maxTimestamp(), header.baseOffset());
        }
        ByteBuffer buf = batch.duplicate();
        buf.limit(header.sizeInBytes()).position(BatchFormat.HEADER_SIZE);
        for (int i = 0; i < header.recordCount() && buf.hasRemaining(); i++) {
            int length = readVarint(buf);
            int recordEnd = buf.position() + length;
            buf.get();
            long timestamp = header.baseTimestamp() + readVarlong(buf);
            int offsetDelta = readVarint(buf);
            if (timestamp >= target) {
                return new TimestampOffset(timestamp, header.baseOffset() + offsetDelta);
            }
            buf.position(recordEnd);
        }
        return new TimestampOffset(header.maxTimestamp(), header.baseOffset());
    }

    static int readVarint(ByteBuffer buf) {
        int value = 0;
        int shift = 0;
        int b;
        do {
            if (shift > 28) {
                throw new IllegalArgumentException("Varint is longer than 5 bytes");
            }
            b = buf.get();
            value |= (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return (value >>> 1) ^ -(value & 1);
    }

    static long readVarlong(ByteBuffer buf) {
        long value = 0;
        int shift = 0;
        long b;
        do {
            if (shift > 63) {
                throw new IllegalArgumentException("Varlong is longer than 10 bytes");
            }
            b = buf.get();
            value |= (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return (value >>> 1) ^ -(value & 1);
    }
}
