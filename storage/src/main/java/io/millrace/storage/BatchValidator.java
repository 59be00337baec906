package io.millrace.storage;

import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.MillraceException;
import io.millrace.protocol.records.CompactedBatches;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks record batches sent by a producer before anything is written, with the same error
 * codes Kafka's {@code UnifiedLog.analyzeAndValidateRecords} and {@code LogValidator} use:
 * structure and CRC problems are {@code CORRUPT_MESSAGE}, a batch over {@code max.message.bytes}
 * is {@code MESSAGE_TOO_LARGE}, a request over the segment size is {@code RECORD_LIST_TOO_LARGE},
 * and semantically wrong headers (base offset not 0, count not matching the offset range, control
 * batches from clients, a producer id without a sequence) are {@code INVALID_RECORD}.
 *
 * <p>Under {@code message.timestamp.type=CreateTime}, record timestamps are checked against
 * {@code message.timestamp.before.max.ms} and {@code message.timestamp.after.max.ms} as Kafka's
 * {@code LogValidator.validateTimestamp} does, failing the whole request with
 * {@code INVALID_TIMESTAMP}; records without a timestamp (-1) are not checked. For uncompressed
 * batches every record's timestamp is read (the record headers are walked, nothing is copied).
 * Compressed batches are not decompressed: their {@code baseTimestamp} (the first record's
 * timestamp) and {@code maxTimestamp} header fields are checked as bounds instead, so a record
 * after the first one that is older than the first one is not detected. LogAppendTime topics are
 * not checked, since the broker overwrites the timestamps.
 *
 * <p>Apart from that only headers are inspected; compressed record bodies are covered by the CRC
 * but are not decompressed. Stateless; safe from any thread.
 */
final class BatchValidator {
    private BatchValidator() {
    }

    /**
     * Validates every batch between the buffer's position and limit.
     *
     * @param nowMs the broker's clock, for the CreateTime timestamp limits
     * @return the headers, whose {@code position} is the absolute index of the batch in {@code buf}
     */
    static List<BatchHeader> validate(ByteBuffer buf, LogConfig config, long nowMs) {
        int start = buf.position();
        int end = buf.limit();
        if (end - start == 0) {
            throw new MillraceException(ErrorCode.INVALID_RECORD, "Produce request carries no record batch");
        }
        if (end - start > config.segmentBytes()) {
            throw new MillraceException(ErrorCode.RECORD_LIST_TOO_LARGE, "Records of " + (end - start)
                    + " bytes exceed the segment size " + config.segmentBytes());
        }
        List<BatchHeader> batches = new ArrayList<>(1);
        int pos = start;
        while (pos < end) {
            BatchHeader batch = validateOne(buf, pos, end, config);
            if (!config.messageTimestampTypeLogAppend()) {
                validateTimestamps(buf, batch, pos, config, nowMs);
            }
            if (config.compact()) {
                validateKeys(buf, batch, pos);
            }
            batches.add(batch);
            pos += batch.sizeInBytes();
        }
        return batches;
    }

    private static BatchHeader validateOne(ByteBuffer buf, int pos, int end, LogConfig config) {
        int remaining = end - pos;
        if (remaining < BatchFormat.HEADER_SIZE) {
            throw corrupt("Truncated record batch: " + remaining + " bytes left, a header needs "
                    + BatchFormat.HEADER_SIZE);
        }
        byte magic = buf.get(pos + BatchFormat.MAGIC);
        if (magic == 0 || magic == 1) {
            throw new MillraceException(ErrorCode.INVALID_RECORD,
                    "Produce requests may only carry record batches with magic 2, found " + magic);
        }
        if (magic != BatchFormat.MAGIC_V2) {
            throw corrupt("Unknown record batch magic " + magic);
        }
        int length = buf.getInt(pos + BatchFormat.LENGTH);
        if (length < BatchFormat.HEADER_SIZE - BatchFormat.LOG_OVERHEAD || length > remaining - BatchFormat.LOG_OVERHEAD) {
            throw corrupt("Record batch length " + length + " is inconsistent with the " + remaining
                    + " bytes left in the request");
        }
        BatchHeader batch = BatchHeader.read(buf, pos, pos);
        if (batch.baseOffset() != 0) {
            throw new MillraceException(ErrorCode.INVALID_RECORD,
                    "The base offset of a produced record batch must be 0, found " + batch.baseOffset());
        }
        if (batch.sizeInBytes() > config.maxMessageBytes()) {
            throw new MillraceException(ErrorCode.MESSAGE_TOO_LARGE, "Record batch of " + batch.sizeInBytes()
                    + " bytes exceeds max.message.bytes " + config.maxMessageBytes());
        }
        if (!BatchFormat.crcMatches(buf, pos, batch.sizeInBytes())) {
            throw corrupt("Record batch CRC mismatch: stored " + Integer.toUnsignedString(buf.getInt(pos + BatchFormat.CRC))
                    + ", computed " + Integer.toUnsignedString(BatchFormat.crcOf(buf, pos, batch.sizeInBytes())));
        }
        validateHeaderSemantics(batch);
        return batch;
    }

    private static void validateHeaderSemantics(BatchHeader batch) {
        if (batch.compressionType() > 4) {
            throw corrupt("Unknown compression type id " + batch.compressionType());
        }
        if (batch.lastOffsetDelta() < 0) {
            throw invalid("Record batch has an invalid offset range: lastOffsetDelta " + batch.lastOffsetDelta());
        }
        if (batch.recordCount() <= 0) {
            throw invalid("Invalid reported count for record batch: " + batch.recordCount());
        }
        if (batch.recordCount() != batch.lastOffsetDelta() + 1) {
            throw invalid("Inconsistent batch offset range (lastOffsetDelta " + batch.lastOffsetDelta()
                    + ") and record count " + batch.recordCount());
        }
        if (batch.isControl()) {
            throw invalid("Clients may not send control batches");
        }
        if (batch.hasProducerId() && batch.baseSequence() < 0) {
            throw invalid("Invalid sequence number " + batch.baseSequence() + " for producer " + batch.producerId());
        }
    }

    /**
     * Checks the CreateTime limits: every record of an uncompressed batch, the base and max
     * timestamp of a compressed one.
     */
    private static void validateTimestamps(ByteBuffer buf, BatchHeader batch, int pos, LogConfig config, long nowMs) {
        long before = config.messageTimestampBeforeMaxMs();
        long after = config.messageTimestampAfterMaxMs();
        if (before == Long.MAX_VALUE && after == Long.MAX_VALUE) {
            return;
        }
        if (batch.compressionType() != 0) {
            requireInRange(batch.baseTimestamp(), "first record of compressed batch", nowMs, before, after);
            requireInRange(batch.maxTimestamp(), "max timestamp of compressed batch", nowMs, before, after);
            return;
        }
        forEachRecord(buf, batch, pos, (i, cursor, recordEnd) -> {
            long timestamp = batch.baseTimestamp() + readVarlong(buf, cursor, recordEnd);
            if (outOfRange(timestamp, nowMs, before, after)) {
                // The description is built only here: this walk runs for every produced record.
                throw invalidTimestamp(timestamp, "record " + i + " of batch", nowMs, before, after);
            }
        });
    }

    /**
     * On a compacted topic every record needs a key (Kafka's {@code LogValidator}: "Compacted topic
     * cannot accept message without key"). Uncompressed records are walked in place; a compressed
     * batch is decompressed by the protocol module's {@link CompactedBatches}.
     */
    private static void validateKeys(ByteBuffer buf, BatchHeader batch, int pos) {
        if (batch.compressionType() != 0) {
            ByteBuffer one = buf.duplicate();
            one.limit(pos + batch.sizeInBytes()).position(pos);
            if (CompactedBatches.hasKeylessRecord(one.slice())) {
                throw invalid("Compacted topic cannot accept message without key");
            }
            return;
        }
        forEachRecord(buf, batch, pos, (i, cursor, recordEnd) -> {
            readVarlong(buf, cursor, recordEnd); // timestamp delta
            readVarint(buf, cursor, recordEnd); // offset delta
            if (readVarint(buf, cursor, recordEnd) < 0) {
                throw invalid("Compacted topic cannot accept message without key (record " + i + " of batch)");
            }
        });
    }

    /** What {@link #forEachRecord} calls for each record: {@code cursor[0]} is just past its attributes byte. */
    @FunctionalInterface
    private interface RecordVisitor {
        void visit(int index, int[] cursor, int recordEnd);
    }

    /**
     * Walks the records of an uncompressed batch in place, checking each record's length against
     * the batch, and calls {@code visitor} with the record's fields from the timestamp delta on;
     * the next record starts at the record's end whatever the visitor read.
     */
    private static void forEachRecord(ByteBuffer buf, BatchHeader batch, int pos, RecordVisitor visitor) {
        int end = pos + batch.sizeInBytes();
        int[] cursor = {pos + BatchFormat.HEADER_SIZE};
        for (int i = 0; i < batch.recordCount(); i++) {
            int length = readVarint(buf, cursor, end);
            int recordEnd = cursor[0] + length;
            if (length < 1 || recordEnd > end || recordEnd < cursor[0]) {
                throw corrupt("Record " + i + " of a batch has invalid length " + length);
            }
            cursor[0]++; // attributes
            visitor.visit(i, cursor, recordEnd);
            cursor[0] = recordEnd;
        }
    }

    /** Kafka's {@code recordHasInvalidTimestamp}, without its overflow for extreme timestamps. */
    private static boolean outOfRange(long timestamp, long nowMs, long beforeMaxMs, long afterMaxMs) {
        if (timestamp == -1) {
            return false;
        }
        if (timestamp <= nowMs) {
            long diff = nowMs - timestamp;
            return diff < 0 ? beforeMaxMs != Long.MAX_VALUE : diff > beforeMaxMs;
        }
        long diff = timestamp - nowMs;
        return diff < 0 ? afterMaxMs != Long.MAX_VALUE : diff > afterMaxMs;
    }

    /** INVALID_TIMESTAMP unless {@code timestamp} is in range; {@code what} is a constant string. */
    private static void requireInRange(long timestamp, String what, long nowMs, long beforeMaxMs, long afterMaxMs) {
        if (outOfRange(timestamp, nowMs, beforeMaxMs, afterMaxMs)) {
            throw invalidTimestamp(timestamp, what, nowMs, beforeMaxMs, afterMaxMs);
        }
    }

    private static MillraceException invalidTimestamp(long timestamp, String what, long nowMs, long beforeMaxMs,
                                                      long afterMaxMs) {
        long low = beforeMaxMs >= nowMs ? Long.MIN_VALUE : nowMs - beforeMaxMs;
        long high = afterMaxMs > Long.MAX_VALUE - nowMs ? Long.MAX_VALUE : nowMs + afterMaxMs;
        return new MillraceException(ErrorCode.INVALID_TIMESTAMP, "Timestamp " + timestamp + " of " + what
                + " is out of range. The timestamp should be within [" + low + ", " + high + "]");
    }

    /** Reads a zig-zag varint at {@code cursor[0]}, advancing it; CORRUPT_MESSAGE past {@code end}. */
    private static int readVarint(ByteBuffer buf, int[] cursor, int end) {
        long raw = readUnsignedVarlong(buf, cursor, end, 5);
        int value = (int) raw;
        return (value >>> 1) ^ -(value & 1);
    }

    /** Reads a zig-zag varlong at {@code cursor[0]}, advancing it; CORRUPT_MESSAGE past {@code end}. */
    private static long readVarlong(ByteBuffer buf, int[] cursor, int end) {
        long raw = readUnsignedVarlong(buf, cursor, end, 10);
        return (raw >>> 1) ^ -(raw & 1);
    }

    private static long readUnsignedVarlong(ByteBuffer buf, int[] cursor, int end, int maxBytes) {
        long value = 0;
        for (int i = 0; i < maxBytes; i++) {
            if (cursor[0] >= end) {
                throw corrupt("Record varint runs past the end of its batch");
            }
            byte b = buf.get(cursor[0]++);
            value |= (long) (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw corrupt("Record varint is longer than " + maxBytes + " bytes");
    }

    private static MillraceException corrupt(String message) {
        return new MillraceException(ErrorCode.CORRUPT_MESSAGE, message);
    }

    private static MillraceException invalid(String message) {
        return new MillraceException(ErrorCode.INVALID_RECORD, message);
    }
}
