package io.millrace.protocol.records;

import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.MillraceException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.utils.ByteBufferOutputStream;

/**
 * Applies a topic's {@code compression.type} to produced record batches, as Kafka's
 * {@code LogValidator} does: when the topic's codec is not {@code producer} and a batch was sent
 * with another codec, every batch is rebuilt with the topic's codec. The rebuild keeps each
 * record's offset delta, timestamp, key, value and headers, and each batch's base offset, last
 * offset delta, timestamp type, partition leader epoch, producer id/epoch, base sequence and
 * transactional/control flags. Only magic 2 batches are accepted.
 *
 * <p>Stateless; safe from any thread.
 */
public final class BatchRecompressor {

    /** Kafka's default topic compression: store batches as the producer sent them. */
    public static final String PRODUCER = "producer";

    /** The topic-config name of "no compression" (the batch attribute calls it "none"). */
    public static final String UNCOMPRESSED = "uncompressed";

    private static final Set<String> TYPES = Set.of(PRODUCER, UNCOMPRESSED, "gzip", "snappy", "lz4", "zstd");

    private BatchRecompressor() {
    }

    /** Whether {@code type} is a valid value of the topic config {@code compression.type}. */
    public static boolean isValidType(String type) {
        return type != null && TYPES.contains(type);
    }

    /**
     * Rebuilds the batches with {@code targetCompressionType} at the codec's default level.
     *
     * @see #recompress(ByteBuffer, String, Integer)
     */
    public static ByteBuffer recompress(ByteBuffer batches, String targetCompressionType) {
        return recompress(batches, targetCompressionType, null);
    }

    /**
     * Returns {@code batches} itself when the target is {@code producer} or every batch already
     * uses the target codec; otherwise a new buffer (position 0) holding every batch rebuilt with
     * the target codec. The input's position and limit are never changed.
     *
     * @param level the codec's compression level, or {@code null} for its default (ignored for
     *              {@code uncompressed} and {@code snappy})
     * @throws IllegalArgumentException if the type is not a valid {@code compression.type}
     * @throws MillraceException CORRUPT_MESSAGE when the batches cannot be read (truncated, bad
     *         CRC, unknown magic or codec, records not matching the header); INVALID_RECORD for
     *         legacy (magic 0 or 1) batches, as the produce path reports them
     */
    public static ByteBuffer recompress(ByteBuffer batches, String targetCompressionType, Integer level) {
        if (!isValidType(targetCompressionType)) {
            throw new IllegalArgumentException("Unknown compression.type " + targetCompressionType);
        }
        if (PRODUCER.equals(targetCompressionType)) {
            return batches;
        }
        CompressionType target = UNCOMPRESSED.equals(targetCompressionType)
                ? CompressionType.NONE : CompressionType.forName(targetCompressionType);
        try {
            List<RecordBatch> parsed = parse(batches);
            boolean allMatch = true;
            for (RecordBatch batch : parsed) {
                if (batch.compressionType() != target) {
                    allMatch = false;
                    break;
                }
            }
            if (allMatch) {
                return batches;
            }
            Compression compression = compressionOf(target, level);
            List<ByteBuffer> rebuilt = new ArrayList<>(parsed.size());
            int total = 0;
            for (RecordBatch batch : parsed) {
                ByteBuffer one = rebuild(batch, compression);
                rebuilt.add(one);
                total += one.remaining();
            }
            ByteBuffer out = ByteBuffer.allocate(total);
            for (ByteBuffer one : rebuilt) {
                out.put(one);
            }
            return out.flip();
        } catch (MillraceException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MillraceException(ErrorCode.CORRUPT_MESSAGE,
                    "Cannot recompress record batches to " + targetCompressionType + ": " + e.getMessage(), e);
        }
    }

    /** Splits the buffer into batches; every byte must belong to a whole, valid magic 2 batch. */
    private static List<RecordBatch> parse(ByteBuffer batches) {
        List<RecordBatch> parsed = new ArrayList<>(1);
        int covered = 0;
        for (RecordBatch batch : MemoryRecords.readableRecords(batches.duplicate()).batches()) {
            byte magic = batch.magic();
            if (magic == RecordBatch.MAGIC_VALUE_V0 || magic == RecordBatch.MAGIC_VALUE_V1) {
                throw new MillraceException(ErrorCode.INVALID_RECORD,
                        "Produce requests may only carry record batches with magic 2, found " + magic);
            }
            if (magic != RecordBatch.MAGIC_VALUE_V2) {
                throw corrupt("Unknown record batch magic " + magic);
            }
            batch.ensureValid();
            batch.compressionType(); // rejects unknown codec ids
            covered += batch.sizeInBytes();
            parsed.add(batch);
        }
        if (covered != batches.remaining()) {
            throw corrupt("Truncated record batch: " + (batches.remaining() - covered)
                    + " trailing bytes do not form a whole batch");
        }
        return parsed;
    }

    private static ByteBuffer rebuild(RecordBatch batch, Compression compression) {
        long logAppendTime = batch.timestampType() == TimestampType.LOG_APPEND_TIME
                ? batch.maxTimestamp() : RecordBatch.NO_TIMESTAMP;
        ByteBufferOutputStream stream = new ByteBufferOutputStream(Math.max(batch.sizeInBytes(), 64));
        MemoryRecordsBuilder builder = new MemoryRecordsBuilder(stream, RecordBatch.MAGIC_VALUE_V2, compression,
                batch.timestampType(), batch.baseOffset(), logAppendTime, batch.producerId(), batch.producerEpoch(),
                batch.baseSequence(), batch.isTransactional(), batch.isControlBatch(), batch.partitionLeaderEpoch(),
                Integer.MAX_VALUE, batch.deleteHorizonMs().orElse(RecordBatch.NO_TIMESTAMP));
        long lastAppended = -1;
        int count = 0;
        for (Record record : batch) {
            Header[] headers = record.headers();
            if (batch.isControlBatch()) {
                builder.appendControlRecordWithOffset(record.offset(),
                        new SimpleRecord(record.timestamp(), record.key(), record.value(), headers));
            } else {
                builder.appendWithOffset(record.offset(), record.timestamp(), record.key(), record.value(), headers);
            }
            lastAppended = record.offset();
            count++;
        }
        Integer declared = batch.countOrNull();
        if (count == 0 || (declared != null && declared != count)) {
            throw corrupt("Record batch declares " + declared + " record(s) but holds " + count);
        }
        if (batch.lastOffset() > lastAppended) {
            builder.overrideLastOffset(batch.lastOffset());
        }
        return builder.build().buffer();
    }

    private static Compression compressionOf(CompressionType type, Integer level) {
        return switch (type) {
            case NONE -> Compression.NONE;
            case SNAPPY -> Compression.snappy().build();
            case GZIP -> level == null ? Compression.gzip().build() : Compression.gzip().level(level).build();
            case LZ4 -> level == null ? Compression.lz4().build() : Compression.lz4().level(level).build();
            case ZSTD -> level == null ? Compression.zstd().build() : Compression.zstd().level(level).build();
        };
    }

    private static MillraceException corrupt(String message) {
        return new MillraceException(ErrorCode.CORRUPT_MESSAGE, message);
    }
}
