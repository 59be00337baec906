package io.millrace.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Leader epoch → start offset of that epoch, as Kafka's {@code LeaderEpochFileCache}, persisted in
 * {@code leader-epoch-checkpoint} (lines {@code "<epoch> <startOffset>"}). Followers use it through
 * OffsetForLeaderEpoch to find where their log diverges from the leader's.
 *
 * <p>Invariant: epochs and start offsets both strictly grow. Thread-safety: mutations run under the
 * partition's append lock; lookups are {@code synchronized} so they can run from request threads.
 */
final class LeaderEpochCache {
    static final String FILE_NAME = "leader-epoch-checkpoint";

    private final Path file;
    private final TreeMap<Integer, Long> epochs = new TreeMap<>();

    LeaderEpochCache(Path dir) throws IOException {
        this.file = dir.resolve(FILE_NAME);
        for (String line : CheckpointFile.read(file)) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length != 2) {
                throw new IOException("Malformed line in " + file + ": " + line);
            }
            epochs.put(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
        }
    }

    /** Records that {@code epoch} starts at {@code startOffset}; an older or known epoch is ignored. */
    synchronized void assign(int epoch, long startOffset) {
        if (epoch < 0) {
            return;
        }
        Map.Entry<Integer, Long> latest = epochs.lastEntry();
        if (latest != null && (epoch <= latest.getKey() || startOffset < latest.getValue())) {
            return;
        }
        epochs.put(epoch, startOffset);
        persist();
    }

    synchronized int latestEpoch() {
        return epochs.isEmpty() ? -1 : epochs.lastKey();
    }

    /**
     * OffsetForLeaderEpoch, with Kafka's answers: for the latest epoch, (epoch, log end offset);
     * otherwise the largest epoch <= {@code requested} and the start offset of the epoch after it;
     * for an epoch below every known one, (requested, start of the first epoch); and
     * {@link EpochEndOffset#UNDEFINED} when nothing is known or the epoch is above the latest.
     */
    synchronized EpochEndOffset endOffsetFor(int requested, long logEndOffset) {
        if (epochs.isEmpty() || requested < 0) {
            return EpochEndOffset.UNDEFINED;
        }
        if (requested == epochs.lastKey()) {
            return new EpochEndOffset(requested, logEndOffset);
        }
        Map.Entry<Integer, Long> higher = epochs.higherEntry(requested);
        if (higher == null) {
            return EpochEndOffset.UNDEFINED;
        }
        Map.Entry<Integer, Long> floor = epochs.floorEntry(requested);
        int epoch = floor == null ? requested : floor.getKey();
        return new EpochEndOffset(epoch, higher.getValue());
    }

    /** Drops epochs starting at or after {@code endOffset} (the log was truncated there). */
    synchronized void truncateFromEnd(long endOffset) {
        boolean changed = epochs.values().removeIf(start -> start >= endOffset);
        if (changed) {
            persist();
        }
    }

    /** Forgets epochs wholly below {@code startOffset}; the epoch covering it now starts there. */
    synchronized void truncateFromStart(long startOffset) {
        Map.Entry<Integer, Long> covering = null;
        for (Map.Entry<Integer, Long> e : epochs.entrySet()) {
            if (e.getValue() <= startOffset) {
                covering = e;
            }
        }
        if (covering == null || (covering.getValue() == startOffset && epochs.firstKey().equals(covering.getKey()))) {
            return;
        }
        int epoch = covering.getKey();
        epochs.headMap(epoch).clear();
        epochs.put(epoch, startOffset);
        persist();
    }

    synchronized List<Map.Entry<Integer, Long>> entries() {
        return new ArrayList<>(epochs.entrySet());
    }

    synchronized void clear() {
        epochs.clear();
        persist();
    }

    private void persist() {
        List<String> lines = new ArrayList<>(epochs.size());
        epochs.forEach((epoch, start) -> lines.add(epoch + " " + start));
        try {
            CheckpointFile.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
