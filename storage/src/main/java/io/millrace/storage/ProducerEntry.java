package io.millrace.storage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One producer's state: its current epoch and its last {@value #MAX_BATCHES} batches (Kafka's
 * {@code ProducerStateEntry.NUM_BATCHES_TO_RETAIN}, matching the client's limit of five
 * in-flight requests). Immutable, so a staged update can be discarded when an append fails.
 */
record ProducerEntry(long producerId, short epoch, List<ProducerBatch> batches) {
    static final int MAX_BATCHES = 5;
    /** Kafka's RecordBatch.NO_PRODUCER_EPOCH. */
    static final short NO_EPOCH = -1;
    /** Kafka's RecordBatch.NO_SEQUENCE. */
    static final int NO_SEQUENCE = -1;

    ProducerEntry {
        batches = Collections.unmodifiableList(new ArrayList<>(batches));
    }

    static ProducerEntry empty(long producerId) {
        return new ProducerEntry(producerId, NO_EPOCH, List.of());
    }

    int lastSeq() {
        return batches.isEmpty() ? NO_SEQUENCE : batches.get(batches.size() - 1).lastSeq();
    }

    ProducerBatch lastBatch() {
        return batches.isEmpty() ? null : batches.get(batches.size() - 1);
    }

    /** The remembered batch with exactly this epoch and sequence range, or null. */
    ProducerBatch findDuplicate(short batchEpoch, int firstSeq, int lastSeq) {
        if (batchEpoch != epoch) {
            return null;
        }
        for (ProducerBatch batch : batches) {
            if (batch.firstSeq() == firstSeq && batch.lastSeq() == lastSeq) {
                return batch;
            }
        }
        return null;
    }

    /** This entry after a batch of {@code batchEpoch}; a new epoch forgets the old batches. */
    ProducerEntry withBatch(short batchEpoch, ProducerBatch batch) {
        List<ProducerBatch> next = new ArrayList<>(batchEpoch == epoch ? batches : List.of());
        next.add(batch);
        while (next.size() > MAX_BATCHES) {
            next.remove(0);
        }
        return new ProducerEntry(producerId, batchEpoch, next);
    }

    /** This entry with a new epoch and no batches (a control batch bumped the epoch). */
    ProducerEntry withEpoch(short newEpoch) {
        return newEpoch == epoch ? this : new ProducerEntry(producerId, newEpoch, List.of());
    }
}
