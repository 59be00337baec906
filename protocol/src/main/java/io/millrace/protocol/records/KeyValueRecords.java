package io.millrace.protocol.records;

import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.SimpleRecord;

/**
 * Builds and reads plain key/value record batches, for the broker's own internal topics (the
 * group coordinator's {@code __consumer_offsets}): no headers, no producer id, no compression.
 *
 * <p>Stateless; safe from any thread.
 */
public final class KeyValueRecords {

    /** One record to write; a {@code null} value is a tombstone. */
    public record Entry(byte[] key, byte[] value) {
    }

    /** Receives each record read back, in offset order; buffers are valid only during the call. */
    @FunctionalInterface
    public interface Visitor {
        void accept(long offset, long timestampMs, ByteBuffer key, ByteBuffer value);
    }

    private KeyValueRecords() {
    }

    /** One uncompressed v2 batch holding {@code entries} in order, base offset 0, create time {@code timestampMs}. */
    public static ByteBuffer build(long timestampMs, List<Entry> entries) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one record");
        }
        SimpleRecord[] records = new SimpleRecord[entries.size()];
        for (int i = 0; i < records.length; i++) {
            records[i] = new SimpleRecord(timestampMs, entries.get(i).key(), entries.get(i).value());
        }
        return MemoryRecords.withRecords(Compression.NONE, records).buffer();
    }

    /**
     * Visits every record of every whole batch in {@code batches} (any codec; a torn last batch is
     * ignored) and returns the offset after the last batch read, or {@code -1} if none was whole.
     */
    public static long forEach(ByteBuffer batches, Visitor visitor) {
        long next = -1;
        for (MutableRecordBatch batch : MemoryRecords.readableRecords(batches.duplicate()).batches()) {
            if (!batch.isControlBatch()) {
                for (Record record : batch) {
                    visitor.accept(record.offset(), record.timestamp(), record.key(),
                            record.hasValue() ? record.value() : null);
                }
            }
            next = batch.nextOffset();
        }
        return next;
    }
}
