package io.millrace.storage;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Field layout of Kafka's v2 record batch (magic 2), read and patched in place with absolute
 * {@link ByteBuffer} accessors so a batch is never copied or decompressed on the hot path.
 *
 * <pre>
 * baseOffset int64 | batchLength int32 | partitionLeaderEpoch int32 | magic int8 | crc uint32 |
 * attributes int16 | lastOffsetDelta int32 | baseTimestamp int64 | maxTimestamp int64 |
 * producerId int64 | producerEpoch int16 | baseSequence int32 | recordCount int32 | records...
 * </pre>
 *
 * The CRC (CRC-32C) covers attributes to the end, which is why base offset and partition leader
 * epoch can be patched without recomputing it. Stateless; safe from any thread.
 */
final class BatchFormat {
    static final int BASE_OFFSET = 0;
    static final int LENGTH = 8;
    static final int PARTITION_LEADER_EPOCH = 12;
    static final int MAGIC = 16;
    static final int CRC = 17;
    static final int ATTRIBUTES = 21;
    static final int LAST_OFFSET_DELTA = 23;
    static final int BASE_TIMESTAMP = 27;
    static final int MAX_TIMESTAMP = 35;
    static final int PRODUCER_ID = 43;
    static final int PRODUCER_EPOCH = 51;
    static final int BASE_SEQUENCE = 53;
    static final int RECORD_COUNT = 57;
    /** Size of the batch header, records start here. */
    static final int HEADER_SIZE = 61;
    /** Bytes before the part counted by batchLength: base offset and the length itself. */
    static final int LOG_OVERHEAD = 12;
    static final byte MAGIC_V2 = 2;

    static final int COMPRESSION_MASK = 0x07;
    static final int TIMESTAMP_TYPE_MASK = 0x08;
    static final int TRANSACTIONAL_MASK = 0x10;
    static final int CONTROL_MASK = 0x20;
    /** Set by the log cleaner on a batch keeping tombstones: {@code baseTimestamp} holds the delete horizon (KIP-534). */
    static final int DELETE_HORIZON_MASK = 0x40;

    private BatchFormat() {
    }

    static int crcOf(ByteBuffer buf, int batchStart, int batchSize) {
        CRC32C crc = new CRC32C();
        ByteBuffer dup = buf.duplicate();
        dup.limit(batchStart + batchSize).position(batchStart + ATTRIBUTES);
        crc.update(dup);
        return (int) crc.getValue();
    }

    static boolean crcMatches(ByteBuffer buf, int batchStart, int batchSize) {
        return crcOf(buf, batchStart, batchSize) == buf.getInt(batchStart + CRC);
    }

    /** Kafka's sequence arithmetic: sequences wrap to 0 after {@link Integer#MAX_VALUE}. */
    static int incrementSequence(int sequence, int increment) {
        if (sequence > Integer.MAX_VALUE - increment) {
            return increment - (Integer.MAX_VALUE - sequence) - 1;
        }
        return sequence + increment;
    }

    static int decrementSequence(int sequence, int decrement) {
        if (sequence < decrement) {
            return Integer.MAX_VALUE - (decrement - sequence) + 1;
        }
        return sequence - decrement;
    }

    /**
     * What the leader writes into a producer's batch before appending it: the base offset and the
     * partition leader epoch (outside the CRC), and under LogAppendTime the timestamp type and max
     * timestamp, recomputing the CRC.
     */
    static void assignOffsets(ByteBuffer buf, BatchHeader batch, long baseOffset, int leaderEpoch,
                              boolean logAppendTime, long now) {
        int pos = (int) batch.position();
        buf.putLong(pos + BASE_OFFSET, baseOffset);
        buf.putInt(pos + PARTITION_LEADER_EPOCH, leaderEpoch);
        if (logAppendTime) {
            short attributes = (short) (batch.attributes() | TIMESTAMP_TYPE_MASK);
            buf.putShort(pos + ATTRIBUTES, attributes);
            buf.putLong(pos + MAX_TIMESTAMP, now);
            buf.putInt(pos + CRC, crcOf(buf, pos, batch.sizeInBytes()));
        }
    }
}
