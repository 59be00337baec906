package io.millrace.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Kafka's text checkpoint layout, shared by {@code leader-epoch-checkpoint},
 * {@code replication-offset-checkpoint}, {@code recovery-point-offset-checkpoint} and
 * {@code log-start-offset-checkpoint}:
 *
 * <pre>
 * 0            (version)
 * N            (number of lines that follow)
 * line 1 ... line N
 * </pre>
 *
 * Writes go to a temporary file that is fsynced and renamed over the old one, so a crash leaves
 * either the old or the new checkpoint. Stateless; callers serialise writes to one file.
 */
final class CheckpointFile {
    private static final int VERSION = 0;

    private CheckpointFile() {
    }

    static void write(Path file, List<String> lines) throws IOException {
        StringBuilder text = new StringBuilder().append(VERSION).append('\n').append(lines.size()).append('\n');
        for (String line : lines) {
            text.append(line).append('\n');
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        ByteBuffer buf = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        ProducerSnapshotFile.moveAtomically(tmp, file);
    }

    /** The entry lines, or an empty list when the file is missing; malformed files throw. */
    static List<String> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (all.size() < 2 || Integer.parseInt(all.get(0).trim()) != VERSION) {
            throw new IOException("Malformed checkpoint file " + file + ": bad header");
        }
        int count = Integer.parseInt(all.get(1).trim());
        if (count < 0 || all.size() < 2 + count) {
            throw new IOException("Malformed checkpoint file " + file + ": expected " + count + " entries");
        }
        return new ArrayList<>(all.subList(2, 2 + count));
    }
}
