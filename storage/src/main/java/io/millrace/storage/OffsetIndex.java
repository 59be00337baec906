package io.millrace.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Kafka's {@code .index} file: 8-byte entries of (offset relative to the segment's base offset,
 * byte position of the batch in the {@code .log}). Each entry maps the last offset of a batch to
 * the position where that batch starts, so a lookup for offset t finds a batch ending at or
 * before t and the reader scans forward from there. Thread-safety as {@link IndexFile}.
 */
final class OffsetIndex extends IndexFile {
    static final int ENTRY_SIZE = 8;

    private final long baseOffset;
    private int[] relativeOffsets = new int[16];
    private int[] positions = new int[16];

    OffsetIndex(Path file, long baseOffset, int maxIndexBytes) throws IOException {
        super(file, ENTRY_SIZE, maxIndexBytes);
        this.baseOffset = baseOffset;
    }

    /** Adds an entry; the caller ensures offsets and positions only grow and the index is not full. */
    void append(long offset, int position) {
        int slot = entries;
        if (slot > 0 && offset <= baseOffset + relativeOffsets[slot - 1]) {
            throw new IllegalStateException("Offset index entry " + offset + " is not above the last entry "
                    + (baseOffset + relativeOffsets[slot - 1]));
        }
        ensureCapacity(slot + 1);
        relativeOffsets[slot] = Math.toIntExact(offset - baseOffset);
        positions[slot] = position;
        writeEntry(slot, ByteBuffer.allocate(ENTRY_SIZE).putInt(relativeOffsets[slot]).putInt(position));
        entries = slot + 1;
    }

    /** The position to start scanning from to find {@code targetOffset}: 0 if no entry is below it. */
    int lookupPosition(long targetOffset) {
        int count = entries;
        int[] rel = relativeOffsets;
        int slot = floorSlot(count, i -> baseOffset + rel[i], targetOffset);
        return slot < 0 ? 0 : positions[slot];
    }

    /** The position of the last indexed batch starting at or before {@code position}: 0 if none. */
    int floorPosition(long position) {
        int count = entries;
        int[] pos = positions;
        int slot = floorSlot(count, i -> pos[i], position);
        return slot < 0 ? 0 : pos[slot];
    }

    /** Offset of the last entry, or the base offset when empty. */
    long lastOffset() {
        int count = entries;
        return count == 0 ? baseOffset : baseOffset + relativeOffsets[count - 1];
    }

    int lastPosition() {
        int count = entries;
        return count == 0 ? 0 : positions[count - 1];
    }

    /** Removes entries for offsets >= {@code offset}. */
    void truncateToOffset(long offset) throws IOException {
        int count = entries;
        int[] rel = relativeOffsets;
        int slot = floorSlot(count, i -> baseOffset + rel[i], offset - 1);
        truncateEntries(slot + 1);
    }

    /** True when entries grow strictly and point inside a log of {@code logSize} bytes. */
    boolean isConsistent(long logSize, long nextSegmentBase) {
        int count = entries;
        for (int i = 0; i < count; i++) {
            if (relativeOffsets[i] < 0 || positions[i] < 0 || positions[i] >= logSize
                    || baseOffset + relativeOffsets[i] >= nextSegmentBase) {
                return false;
            }
            if (i > 0 && (relativeOffsets[i] <= relativeOffsets[i - 1] || positions[i] <= positions[i - 1])) {
                return false;
            }
        }
        return true;
    }

    private void ensureCapacity(int needed) {
        if (needed > relativeOffsets.length) {
            int size = Math.min(Math.max(needed, relativeOffsets.length * 2), Math.max(needed, maxEntries()));
            relativeOffsets = Arrays.copyOf(relativeOffsets, size);
            positions = Arrays.copyOf(positions, size);
        }
    }

    @Override
    protected void resetEntries(int count) {
        relativeOffsets = new int[Math.max(16, count)];
        positions = new int[Math.max(16, count)];
        entries = 0;
    }

    @Override
    protected void decode(int slot, ByteBuffer buf, int offset) {
        relativeOffsets[slot] = buf.getInt(offset);
        positions[slot] = buf.getInt(offset + 4);
    }
}
