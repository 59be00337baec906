package io.millrace.storage;

import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.MillraceException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Idempotent-producer state of one partition, following Kafka's {@code ProducerStateManager}:
 * per producer id the current epoch and the last five batches with their offsets.
 *
 * <p>An append is checked in two steps: {@link #stage()} gives a {@link Staging} that validates
 * each batch against the committed state plus what earlier batches of the same append staged,
 * and {@link Staging#commit()} publishes it only after the bytes are written, so a failed write
 * leaves the state untouched. State survives restarts through snapshot files in Kafka's format
 * ({@link ProducerSnapshotFile}) plus replay of the log after the snapshot.
 *
 * <p>Thread-safety: not thread-safe; every method runs under the owning {@link PartitionLog}'s
 * append lock.
 */
final class ProducerStateManager {
    private final Path dir;
    private final Map<Long, ProducerEntry> producers = new HashMap<>();

    ProducerStateManager(Path dir) {
        this.dir = dir;
    }

    Map<Long, ProducerEntry> producers() {
        return Collections.unmodifiableMap(producers);
    }

    Staging stage() {
        return new Staging();
    }

    /** Applies a batch read back from the log (recovery, reload after truncation), without checks. */
    void replay(BatchHeader batch) {
        if (!batch.hasProducerId()) {
            return;
        }
        ProducerEntry entry = producers.getOrDefault(batch.producerId(), ProducerEntry.empty(batch.producerId()));
        if (batch.isControl()) {
            producers.put(batch.producerId(), entry.withEpoch(batch.producerEpoch()));
            return;
        }
        ProducerBatch meta = new ProducerBatch(batch.baseSequence(), batch.lastSequence(), batch.baseOffset(),
                batch.lastOffset(), batch.maxTimestamp());
        producers.put(batch.producerId(), entry.withBatch(batch.producerEpoch(), meta));
    }

    void clear() {
        producers.clear();
    }

    /** Writes {@code <offset>.snapshot} holding the state as of {@code offset} (the log end offset). */
    void takeSnapshot(long offset) throws IOException {
        ProducerSnapshotFile.write(dir, offset, producers.values());
    }

    /**
     * Replaces the state with the newest snapshot at or below {@code maxOffset}, deleting newer
     * ones.
     *
     * @return the offset replay must start from: the snapshot's offset, or -1 if there was none
     */
    long loadLatestSnapshot(long maxOffset) throws IOException {
        producers.clear();
        ProducerSnapshotFile.deleteAbove(dir, maxOffset);
        List<Long> offsets = ProducerSnapshotFile.list(dir);
        for (int i = offsets.size() - 1; i >= 0; i--) {
            long offset = offsets.get(i);
            List<ProducerEntry> entries = ProducerSnapshotFile.read(dir, offset);
            if (entries != null) {
                entries.forEach(e -> producers.put(e.producerId(), e));
                return offset;
            }
        }
        return -1;
    }

    /** Keeps snapshots at or above the log start and the two newest below it at most. */
    void deleteSnapshotsBelow(long logStartOffset) throws IOException {
        ProducerSnapshotFile.deleteBelow(dir, logStartOffset);
    }

    /**
     * The staged effect of one append: validates batches in order as Kafka's
     * {@code ProducerAppendInfo} does and keeps the updated entries until {@link #commit()}.
     */
    /** A request whose every batch was written before: the first and last of them, and its records. */
    record Retry(ProducerBatch first, ProducerBatch last, int recordCount) {
    }

    final class Staging {
        private final Map<Long, ProducerEntry> updated = new HashMap<>();

        /**
         * The already written batch this one retries, or null: same producer, epoch and sequence
         * range among the batches of the committed state (not those staged by this append), as
         * Kafka's {@code ProducerStateEntry.findDuplicateBatch} on the producer's last entry.
         */
        ProducerBatch findDuplicate(BatchHeader batch) {
            if (!batch.hasProducerId()) {
                return null;
            }
            ProducerEntry entry = producers.get(batch.producerId());
            return entry == null ? null
                    : entry.findDuplicate(batch.producerEpoch(), batch.baseSequence(), batch.lastSequence());
        }

        /**
         * Duplicate detection for requests of one or more batches. Each idempotent batch is looked
         * up among the batches its producer has written (the committed state, as Kafka's
         * {@code UnifiedLog.analyzeAndValidateProducerState} does). If none is a retry, returns null
         * and the batches are sequence-checked one after the other by {@link #append}. If every
         * batch is a retry and their original offsets ascend, the request is a retry: the answer
         * spans the original offsets, from the first batch's first offset to the last batch's last
         * offset. A request mixing retried and new batches is rejected with
         * OUT_OF_ORDER_SEQUENCE_NUMBER and nothing is written; Kafka instead answers with the first
         * retried batch's offsets and drops the rest of the request silently.
         */
        Retry findRetry(List<BatchHeader> batches, String logPrefix) {
            ProducerBatch first = null;
            ProducerBatch last = null;
            int duplicates = 0;
            int recordCount = 0;
            for (BatchHeader batch : batches) {
                ProducerBatch dup = findDuplicate(batch);
                if (dup == null) {
                    continue;
                }
                if (last != null && dup.firstOffset() <= last.lastOffset()) {
                    throw new MillraceException(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, logPrefix + "Retried batch of "
                            + "producer " + batch.producerId() + " with sequences " + dup.firstSeq() + ".."
                            + dup.lastSeq() + " was written at offset " + dup.firstOffset()
                            + ", before a batch earlier in the request");
                }
                if (first == null) {
                    first = dup;
                }
                last = dup;
                duplicates++;
                recordCount += batch.recordCount();
            }
            if (duplicates == 0) {
                return null;
            }
            if (duplicates != batches.size()) {
                throw new MillraceException(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, logPrefix + "Request mixes "
                        + duplicates + " retried batch(es) with " + (batches.size() - duplicates) + " new one(s)");
            }
            return new Retry(first, last, recordCount);
        }

        /** Validates epoch and sequence, then stages the batch at its assigned offsets. */
        void append(BatchHeader batch, long firstOffset, long maxTimestamp) {
            if (!batch.hasProducerId()) {
                return;
            }
            ProducerEntry entry = current(batch.producerId());
            checkEpoch(entry, batch);
            checkSequence(entry, batch);
            ProducerBatch meta = new ProducerBatch(batch.baseSequence(), batch.lastSequence(), firstOffset,
                    firstOffset + batch.lastOffsetDelta(), maxTimestamp);
            updated.put(batch.producerId(), entry.withBatch(batch.producerEpoch(), meta));
        }

        void commit() {
            producers.putAll(updated);
        }

        private ProducerEntry current(long producerId) {
            ProducerEntry staged = updated.get(producerId);
            if (staged != null) {
                return staged;
            }
            return producers.getOrDefault(producerId, ProducerEntry.empty(producerId));
        }

        private void checkEpoch(ProducerEntry entry, BatchHeader batch) {
            if (entry.epoch() != ProducerEntry.NO_EPOCH && batch.producerEpoch() < entry.epoch()) {
                throw new MillraceException(ErrorCode.INVALID_PRODUCER_EPOCH, "Epoch of producer "
                        + batch.producerId() + " at offset is " + batch.producerEpoch()
                        + ", which is smaller than the last seen epoch " + entry.epoch());
            }
        }

        private void checkSequence(ProducerEntry entry, BatchHeader batch) {
            int firstSeq = batch.baseSequence();
            if (batch.producerEpoch() != entry.epoch()) {
                if (firstSeq != 0 && entry.epoch() != ProducerEntry.NO_EPOCH) {
                    throw new MillraceException(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, "Invalid sequence number "
                            + firstSeq + " for new epoch " + batch.producerEpoch() + " of producer "
                            + batch.producerId() + ": a new epoch must start at 0");
                }
                return;
            }
            int lastSeq = entry.lastSeq();
            boolean inSequence = firstSeq == lastSeq + 1L || (firstSeq == 0 && lastSeq == Integer.MAX_VALUE);
            if (!inSequence) {
                throw new MillraceException(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, "Out of order sequence number for producer "
                        + batch.producerId() + ": found " + firstSeq + " (incoming seq. number), " + lastSeq
                        + " (current end sequence number)");
            }
        }
    }
}
