package io.millrace.protocol;

import java.nio.channels.FileChannel;

/**
 * A run of bytes in a log segment file, to be sent to a client without copying it through the
 * heap. The channel stays owned by the segment; whoever sends the slice must not close it.
 */
public record FileSlice(FileChannel channel, long position, int sizeBytes) {
    public FileSlice {
        if (position < 0 || sizeBytes < 0) {
            throw new IllegalArgumentException("position " + position + " and sizeBytes " + sizeBytes + " must be >= 0");
        }
    }
}
