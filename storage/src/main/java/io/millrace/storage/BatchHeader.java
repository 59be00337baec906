package io.millrace.storage;

import java.nio.ByteBuffer;

/**
 * The header fields of one v2 record batch that the log needs to index it, track producer state
 * and recover it, copied out of a buffer or file. Immutable.
 *
 * @param position byte position of the batch in its buffer or segment file
 */
record BatchHeader(long position, long baseOffset, int sizeInBytes, int partitionLeaderEpoch, byte magic,
                   short attributes, int lastOffsetDelta, long baseTimestamp, long maxTimestamp, long producerId,
                   short producerEpoch, int baseSequence, int recordCount) {

    /** Reads the header of the batch starting at {@code start}; the caller checked bounds. */
    static BatchHeader read(ByteBuffer buf, int start, long position) {
        return new BatchHeader(position,
                buf.getLong(start + BatchFormat.BASE_OFFSET),
                buf.getInt(start + BatchFormat.LENGTH) + BatchFormat.LOG_OVERHEAD,
                buf.getInt(start + BatchFormat.PARTITION_LEADER_EPOCH),
                buf.get(start + BatchFormat.MAGIC),
                buf.getShort(start + BatchFormat.ATTRIBUTES),
                buf.getInt(start + BatchFormat.LAST_OFFSET_DELTA),
                buf.getLong(start + BatchFormat.BASE_TIMESTAMP),
                buf.getLong(start + BatchFormat.MAX_TIMESTAMP),
                buf.getLong(start + BatchFormat.PRODUCER_ID),
                buf.getShort(start + BatchFormat.PRODUCER_EPOCH),
                buf.getInt(start + BatchFormat.BASE_SEQUENCE),
                buf.getInt(start + BatchFormat.RECORD_COUNT));
    }

    long lastOffset() {
        return baseOffset + lastOffsetDelta;
    }

    long nextOffset() {
        return lastOffset() + 1;
    }

    int lastSequence() {
        return BatchFormat.incrementSequence(baseSequence, lastOffsetDelta);
    }

    boolean hasProducerId() {
        return producerId >= 0;
    }

    boolean isControl() {
        return (attributes & BatchFormat.CONTROL_MASK) != 0;
    }

    boolean isTransactional() {
        return (attributes & BatchFormat.TRANSACTIONAL_MASK) != 0;
    }

    int compressionType() {
        return attributes & BatchFormat.COMPRESSION_MASK;
    }
}
