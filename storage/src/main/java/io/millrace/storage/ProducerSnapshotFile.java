package io.millrace.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Producer state snapshot files, {@code <20-digit offset>.snapshot}, in the layout of Kafka's
 * {@code ProducerSnapshot} schema version 1 so Kafka's tools can read them:
 *
 * <pre>
 * version int16 = 1 | crc uint32 (CRC-32C of everything after it) | count int32 |
 * count × (producerId int64, epoch int16, lastSequence int32, lastOffset int64,
 *          offsetDelta int32, timestamp int64, coordinatorEpoch int32, currentTxnFirstOffset int64)
 * </pre>
 *
 * Like Kafka, a snapshot keeps only each producer's last batch; a retry of an older in-flight
 * batch after a restart is therefore answered by sequence checks instead of deduplication.
 * Stateless; callers serialise access per directory.
 */
final class ProducerSnapshotFile {
    static final String SUFFIX = ".snapshot";
    private static final short VERSION = 1;
    private static final int ENTRY_SIZE = 8 + 2 + 4 + 8 + 4 + 8 + 4 + 8;
    private static final int HEADER_SIZE = 2 + 4 + 4;

    private ProducerSnapshotFile() {
    }

    static Path path(Path dir, long offset) {
        return dir.resolve(LogSegment.fileName(offset, SUFFIX));
    }

    static void write(Path dir, long offset, Collection<ProducerEntry> entries) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(HEADER_SIZE + entries.size() * ENTRY_SIZE);
        buf.putShort(VERSION).putInt(0).putInt(entries.size());
        for (ProducerEntry entry : entries) {
            ProducerBatch last = entry.lastBatch();
            buf.putLong(entry.producerId()).putShort(entry.epoch())
                    .putInt(last == null ? ProducerEntry.NO_SEQUENCE : last.lastSeq())
                    .putLong(last == null ? -1L : last.lastOffset())
                    .putInt(last == null ? 0 : last.offsetDelta())
                    .putLong(last == null ? -1L : last.timestampMs())
                    .putInt(-1).putLong(-1L);
        }
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 6, buf.position() - 6);
        buf.putInt(2, (int) crc.getValue());
        buf.flip();
        Path tmp = dir.resolve(LogSegment.fileName(offset, SUFFIX + ".tmp"));
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        moveAtomically(tmp, path(dir, offset));
    }

    /** The entries of one snapshot, or null if the file is missing or fails its CRC. */
    static List<ProducerEntry> read(Path dir, long offset) throws IOException {
        Path file = path(dir, offset);
        if (!Files.exists(file)) {
            return null;
        }
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file));
        if (buf.remaining() < HEADER_SIZE || buf.getShort(0) != VERSION) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 6, buf.limit() - 6);
        int count = buf.getInt(6);
        if ((int) crc.getValue() != buf.getInt(2) || count < 0 || buf.limit() != HEADER_SIZE + count * ENTRY_SIZE) {
            return null;
        }
        List<ProducerEntry> entries = new ArrayList<>(count);
        buf.position(HEADER_SIZE);
        for (int i = 0; i < count; i++) {
            entries.add(decodeEntry(buf));
        }
        return entries;
    }

    private static ProducerEntry decodeEntry(ByteBuffer buf) {
        long producerId = buf.getLong();
        short epoch = buf.getShort();
        int lastSeq = buf.getInt();
        long lastOffset = buf.getLong();
        int offsetDelta = buf.getInt();
        long timestamp = buf.getLong();
        buf.getInt();
        buf.getLong();
        if (lastSeq == ProducerEntry.NO_SEQUENCE || lastOffset < 0) {
            return new ProducerEntry(producerId, epoch, List.of());
        }
        ProducerBatch batch = new ProducerBatch(BatchFormat.decrementSequence(lastSeq, offsetDelta), lastSeq,
                lastOffset - offsetDelta, lastOffset, timestamp);
        return new ProducerEntry(producerId, epoch, List.of(batch));
    }

    /** Snapshot offsets present in {@code dir}, ascending. */
    static List<Long> list(Path dir) throws IOException {
        List<Long> offsets = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                try {
                    offsets.add(Long.parseLong(name.substring(0, name.length() - SUFFIX.length())));
                } catch (NumberFormatException ignored) {
                    // Not one of ours; leave it alone.
                }
            }
        }
        Collections.sort(offsets);
        return offsets;
    }

    static void deleteAbove(Path dir, long offset) throws IOException {
        for (long snapshot : list(dir)) {
            if (snapshot > offset) {
                Files.deleteIfExists(path(dir, snapshot));
            }
        }
    }

    /** Deletes snapshots below {@code offset}, keeping the newest of those as a replay start. */
    static void deleteBelow(Path dir, long offset) throws IOException {
        List<Long> below = new ArrayList<>();
        for (long snapshot : list(dir)) {
            if (snapshot < offset) {
                below.add(snapshot);
            }
        }
        for (int i = 0; i < below.size() - 1; i++) {
            Files.deleteIfExists(path(dir, below.get(i)));
        }
    }

    static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
