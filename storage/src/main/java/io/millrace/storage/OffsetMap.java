package io.millrace.storage;

import java.nio.ByteBuffer;
import java.util.HashMap;

/**
 * The log cleaner's key → latest offset map over the dirty section of one log (Kafka's
 * {@code OffsetMap}). Keys are copied; memory is bounded approximately by {@code maxBytes}, counting
 * each entry as its key length plus {@value #ENTRY_OVERHEAD_BYTES} bytes of map overhead. The
 * cleaner stops mapping at a segment boundary once the map is full and cleans only up to there.
 *
 * <p>Not thread-safe: used by the cleaner thread only.
 */
final class OffsetMap {
    static final int ENTRY_OVERHEAD_BYTES = 96;

    private final long maxBytes;
    private final HashMap<ByteBuffer, Long> offsets = new HashMap<>();
    private long bytes;

    OffsetMap(long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes " + maxBytes + " must be > 0");
        }
        this.maxBytes = maxBytes;
    }

    /** Records {@code offset} as the latest for {@code key} (read from position to limit, not kept). */
    void put(ByteBuffer key, long offset) {
        Long previous = offsets.get(key);
        if (previous != null) {
            if (offset > previous) {
                offsets.put(key, offset);
            }
            return;
        }
        ByteBuffer copy = ByteBuffer.allocate(key.remaining());
        copy.put(key.duplicate()).flip();
        offsets.put(copy, offset);
        bytes += copy.capacity() + ENTRY_OVERHEAD_BYTES;
    }

    /** The latest offset mapped for {@code key}, or -1. */
    long latestOffset(ByteBuffer key) {
        Long offset = offsets.get(key);
        return offset == null ? -1 : offset;
    }

    boolean isFull() {
        return bytes >= maxBytes;
    }

    int size() {
        return offsets.size();
    }
}
