package io.millrace.protocol.records;

import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.MillraceException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.ByteBufferOutputStream;

/**
 * Record-level access to v2 record batches of any codec, for log compaction: the storage module
 * reads keys through {@link #forEachRecord}, rewrites a batch keeping a subset of its records
 * with {@link #filter}, and checks that every record has a key ({@link #hasKeylessRecord}), all
 * without importing kafka-clients itself.
 *
 * <p>A rewritten batch keeps what Kafka's {@code MemoryRecords.filterTo} keeps: the base offset,
 * the last offset delta (so the producer's last sequence survives), every kept record's offset
 * delta, timestamp, key, value and headers, the timestamp type, partition leader epoch, producer
 * id/epoch, base sequence, transactional flag and the compression codec (at its default level).
 * The CRC is recomputed. Tombstones follow Kafka's KIP-534: the first rewrite that keeps a
 * tombstone stamps the batch with a delete horizon (the batch's {@code baseTimestamp} field with
 * the delete-horizon attribute bit set); later cleanings drop the tombstone once the horizon has
 * passed. Control batches are never rewritten.
 *
 * <p>Stateless; safe from any thread.
 */
public final class CompactedBatches {

    /** Receives each record of a batch; {@code key} is null for a keyless record and valid only during the call. */
    @FunctionalInterface
    public interface RecordVisitor {
        void accept(long offset, ByteBuffer key, boolean tombstone);
    }

    /** Decides whether a record stays; {@code key} is null for a keyless record. */
    @FunctionalInterface
    public interface RecordPredicate {
        boolean keep(long offset, ByteBuffer key, boolean tombstone);
    }

    /**
     * Outcome of {@link #filter}.
     *
     * @param batch            the batch to write: the input buffer itself when nothing changed, a new
     *                         buffer (position 0) when rebuilt, or null when no record is kept
     * @param retainedTombstone whether a kept record is a tombstone
     * @param deleteHorizonMs  the delete horizon of the written batch, or -1 when it has none
     */
    public record Filtered(ByteBuffer batch, boolean retainedTombstone, long deleteHorizonMs) {
    }

    private CompactedBatches() {
    }

    /** Visits every record of every whole batch in {@code batches}, in offset order; control batches are skipped. */
    public static void forEachRecord(ByteBuffer batches, RecordVisitor visitor) {
        try {
            for (MutableRecordBatch batch : MemoryRecords.readableRecords(batches.duplicate()).batches()) {
                if (batch.isControlBatch()) {
                    continue;
                }
                for (Record record : batch) {
                    visitor.accept(record.offset(), record.hasKey() ? record.key() : null, !record.hasValue());
                }
            }
        } catch (MillraceException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MillraceException(ErrorCode.CORRUPT_MESSAGE, "Cannot read records: " + e.getMessage(), e);
        }
    }

    /** Whether any record of a non-control batch in {@code batches} has no key (decompressing as needed). */
    public static boolean hasKeylessRecord(ByteBuffer batches) {
        boolean[] found = {false};
        forEachRecord(batches, (offset, key, tombstone) -> found[0] |= key == null);
        return found[0];
    }

    /** The delete horizon of the batch starting at the buffer's position, or -1 when it has none. */
    public static long deleteHorizonMs(ByteBuffer batch) {
        MutableRecordBatch parsed = single(batch);
        return parsed.deleteHorizonMs().orElse(RecordBatch.NO_TIMESTAMP);
    }

    /**
     * Keeps the records of one batch that {@code predicate} accepts.
     *
     * @param batch                 exactly one whole v2 batch between position and limit
     * @param newDeleteHorizonMs    the horizon to stamp on a batch that keeps a tombstone and has none yet
     */
    public static Filtered filter(ByteBuffer batch, RecordPredicate predicate, long newDeleteHorizonMs) {
        MutableRecordBatch parsed = single(batch);
        long horizon = parsed.deleteHorizonMs().orElse(RecordBatch.NO_TIMESTAMP);
        if (parsed.isControlBatch()) {
            return new Filtered(batch, false, horizon);
        }
        List<Record> kept = new ArrayList<>();
        boolean tombstone = false;
        int total = 0;
        try {
            for (Record record : parsed) {
                total++;
                boolean isTombstone = !record.hasValue();
                if (predicate.keep(record.offset(), record.hasKey() ? record.key() : null, isTombstone)) {
                    kept.add(record);
                    tombstone |= isTombstone;
                }
            }
        } catch (RuntimeException e) {
            throw new MillraceException(ErrorCode.CORRUPT_MESSAGE, "Cannot read records: " + e.getMessage(), e);
        }
        if (kept.isEmpty()) {
            return new Filtered(null, false, RecordBatch.NO_TIMESTAMP);
        }
        boolean needsHorizon = tombstone && horizon == RecordBatch.NO_TIMESTAMP;
        if (kept.size() == total && !needsHorizon) {
            return new Filtered(batch, tombstone, horizon);
        }
        long written = needsHorizon ? newDeleteHorizonMs : horizon;
        return new Filtered(rebuild(parsed, kept, written), tombstone, written);
    }

    private static MutableRecordBatch single(ByteBuffer batch) {
        MutableRecordBatch parsed = null;
        for (MutableRecordBatch one : MemoryRecords.readableRecords(batch.duplicate()).batches()) {
            if (parsed != null) {
                throw new IllegalArgumentException("Expected exactly one record batch");
            }
            parsed = one;
        }
        if (parsed == null || parsed.magic() != RecordBatch.MAGIC_VALUE_V2) {
            throw new MillraceException(ErrorCode.CORRUPT_MESSAGE, "Expected one whole v2 record batch");
        }
        return parsed;
    }

    private static ByteBuffer rebuild(MutableRecordBatch batch, List<Record> kept, long deleteHorizonMs) {
        long logAppendTime = batch.timestampType() == TimestampType.LOG_APPEND_TIME
                ? batch.maxTimestamp() : RecordBatch.NO_TIMESTAMP;
        Compression compression = Compression.of(batch.compressionType()).build();
        ByteBufferOutputStream stream = new ByteBufferOutputStream(Math.max(batch.sizeInBytes(), 64));
        MemoryRecordsBuilder builder = new MemoryRecordsBuilder(stream, RecordBatch.MAGIC_VALUE_V2, compression,
                batch.timestampType(), batch.baseOffset(), logAppendTime, batch.producerId(), batch.producerEpoch(),
                batch.baseSequence(), batch.isTransactional(), false, batch.partitionLeaderEpoch(),
                Integer.MAX_VALUE, deleteHorizonMs);
        for (Record record : kept) {
            builder.appendWithOffset(record.offset(), record.timestamp(), record.key(), record.value(),
                    record.headers());
        }
        builder.overrideLastOffset(batch.lastOffset());
        return builder.build().buffer();
    }
}
