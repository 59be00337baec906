package io.millrace.storage;

import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.MillraceException;

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
 * <p>Only headers are inspected; compressed record bodies are covered by the CRC but are not
 * decompressed. Stateless; safe from any thread.
 */
final class BatchValidator {
    private BatchValidator() {
    }

    /**
     * Validates every batch between the buffer's position and limit.
     *
     * @return the headers, whose {@code position} is the absolute index of the batch in {@code buf}
     */
    static List<BatchHeader> validate(ByteBuffer buf, LogConfig config) {
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

    private static MillraceException corrupt(String message) {
        return new MillraceException(ErrorCode.CORRUPT_MESSAGE, message);
    }

    private static MillraceException invalid(String message) {
        return new MillraceException(ErrorCode.INVALID_RECORD, message);
    }
}
