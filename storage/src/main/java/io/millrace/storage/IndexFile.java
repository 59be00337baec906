package io.millrace.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A sparse index file in Kafka's layout: fixed-size big-endian entries, no header. While its
 * segment is active the file is preallocated to {@code maxIndexBytes} (as Kafka does, so the
 * file does not grow on every entry) and it is trimmed to the bytes in use when the segment
 * rolls or closes, so that Kafka's {@code kafka-dump-log} reads it.
 *
 * <p>Entries are kept in memory as well, because lookups are binary searches and must not touch
 * the disk. Thread-safety: one writer (the partition's append lock) and any number of readers.
 * The writer stores an entry in the arrays before publishing the new count through the volatile
 * {@link #entries}, so a reader that sees count n sees the first n entries.
 */
abstract class IndexFile implements AutoCloseable {
    private final int entrySize;
    private final int maxEntries;
    private Path file;
    private FileChannel channel;
    protected volatile int entries;

    IndexFile(Path file, int entrySize, int maxIndexBytes) throws IOException {
        this.file = file;
        this.entrySize = entrySize;
        this.maxEntries = Math.max(1, maxIndexBytes / entrySize);
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
    }

    /** Reads entries from an existing trimmed file; returns false if the file does not look like one. */
    final boolean loadExisting() throws IOException {
        long size = channel.size();
        if (size % entrySize != 0 || size / entrySize > maxEntries) {
            return false;
        }
        int count = (int) (size / entrySize);
        ByteBuffer buf = ByteBuffer.allocate(count * entrySize);
        while (buf.hasRemaining()) {
            if (channel.read(buf, buf.position()) < 0) {
                return false;
            }
        }
        buf.flip();
        resetEntries(count);
        for (int i = 0; i < count; i++) {
            decode(i, buf, i * entrySize);
        }
        entries = count;
        return true;
    }

    /** Extends the file to its maximum so appends do not change the file's length. */
    final void preallocate() throws IOException {
        long target = (long) maxEntries * entrySize;
        if (channel.size() < target) {
            channel.write(ByteBuffer.allocate(1), target - 1);
        }
    }

    /** Shrinks the file to the entries in use. */
    final void trim() throws IOException {
        channel.truncate((long) entries * entrySize);
    }

    final boolean isFull() {
        return entries >= maxEntries;
    }

    final int entryCount() {
        return entries;
    }

    protected final void writeEntry(int slot, ByteBuffer entry) {
        try {
            entry.flip();
            long pos = (long) slot * entrySize;
            while (entry.hasRemaining()) {
                pos += channel.write(entry, pos);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write index " + file, e);
        }
    }

    /**
     * Drops every entry from {@code slot} on, in memory and on disk. The file ends up trimmed;
     * an active segment calls {@link #preallocate()} again afterwards.
     */
    protected final void truncateEntries(int slot) throws IOException {
        if (slot < entries) {
            entries = slot;
        }
        channel.truncate((long) entries * entrySize);
    }

    final void flush() throws IOException {
        channel.force(true);
    }

    /** Renames the file atomically, replacing a file of that name (POSIX {@code rename}). */
    final void renameTo(Path target) throws IOException {
        Files.move(file, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        file = target;
    }

    final Path file() {
        return file;
    }

    @Override
    public final void close() throws IOException {
        channel.close();
    }

    final boolean isOpen() {
        return channel.isOpen();
    }

    protected final int maxEntries() {
        return maxEntries;
    }

    /** Sizes the in-memory arrays for {@code count} entries, discarding what they held. */
    protected abstract void resetEntries(int count);

    /** Decodes the entry at {@code offset} of {@code buf} into memory slot {@code slot}. */
    protected abstract void decode(int slot, ByteBuffer buf, int offset);

    /** Binary search: the largest slot whose key is <= target, or -1. */
    protected static int floorSlot(int count, java.util.function.IntToLongFunction key, long target) {
        int lo = 0;
        int hi = count - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (key.applyAsLong(mid) <= target) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }
}
