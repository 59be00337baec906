package io.millrace.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Kafka's {@code .timeindex} file: 12-byte entries of (largest timestamp so far, offset relative
 * to the segment's base offset of the record batch holding it). Timestamps strictly grow between
 * entries, so an entry is only added when the segment's maximum timestamp moved. Thread-safety as
 * {@link IndexFile}.
 */
final class TimeIndex extends IndexFile {
    static final int ENTRY_SIZE = 12;

    private final long baseOffset;
    private long[] timestamps = new long[16];
    private int[] relativeOffsets = new int[16];

    TimeIndex(Path file, long baseOffset, int maxIndexBytes) throws IOException {
        super(file, ENTRY_SIZE, maxIndexBytes);
        this.baseOffset = baseOffset;
    }

    /** Adds (timestamp, offset) unless the timestamp does not exceed the last entry's. */
    void maybeAppend(long timestamp, long offset) {
        int slot = entries;
        if (slot > 0 && timestamp <= timestamps[slot - 1]) {
            return;
        }
        if (slot >= maxEntries()) {
            return;
        }
        if (slot > 0 && offset < baseOffset + relativeOffsets[slot - 1]) {
            throw new IllegalStateException("Time index offset " + offset + " is below the last entry "
                    + (baseOffset + relativeOffsets[slot - 1]));
        }
        if (slot + 1 > timestamps.length) {
            int size = Math.min(timestamps.length * 2, maxEntries());
            timestamps = Arrays.copyOf(timestamps, size);
            relativeOffsets = Arrays.copyOf(relativeOffsets, size);
        }
        timestamps[slot] = timestamp;
        relativeOffsets[slot] = Math.toIntExact(offset - baseOffset);
        writeEntry(slot, ByteBuffer.allocate(ENTRY_SIZE).putLong(timestamp).putInt(relativeOffsets[slot]));
        entries = slot + 1;
    }

    /** The offset to start scanning from for the first timestamp >= target: the base offset if none. */
    long lookupOffset(long targetTimestamp) {
        int count = entries;
        long[] ts = timestamps;
        int slot = floorSlot(count, i -> ts[i], targetTimestamp - 1);
        return slot < 0 ? baseOffset : baseOffset + relativeOffsets[slot];
    }

    /** The last entry as (timestamp, offset), or null when empty. */
    TimestampOffset lastEntry() {
        int count = entries;
        return count == 0 ? null : new TimestampOffset(timestamps[count - 1], baseOffset + relativeOffsets[count - 1]);
    }

    /** Removes entries whose offset is >= {@code offset}. */
    void truncateToOffset(long offset) throws IOException {
        int count = entries;
        int keep = 0;
        while (keep < count && baseOffset + relativeOffsets[keep] < offset) {
            keep++;
        }
        truncateEntries(keep);
    }

    boolean isConsistent(long nextSegmentBase) {
        int count = entries;
        for (int i = 0; i < count; i++) {
            if (relativeOffsets[i] < 0 || baseOffset + relativeOffsets[i] >= nextSegmentBase) {
                return false;
            }
            if (i > 0 && (timestamps[i] <= timestamps[i - 1] || relativeOffsets[i] < relativeOffsets[i - 1])) {
                return false;
            }
        }
        return true;
    }

    @Override
    protected void resetEntries(int count) {
        timestamps = new long[Math.max(16, count)];
        relativeOffsets = new int[Math.max(16, count)];
        entries = 0;
    }

    @Override
    protected void decode(int slot, ByteBuffer buf, int offset) {
        timestamps[slot] = buf.getLong(offset);
        relativeOffsets[slot] = buf.getInt(offset + 8);
    }
}
