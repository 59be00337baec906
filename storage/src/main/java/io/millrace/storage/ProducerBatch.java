package io.millrace.storage;

/**
 * What the log remembers of one idempotent batch: its sequence range and where it was written,
 * so that a retry can be answered with the original offsets. Immutable.
 */
record ProducerBatch(int firstSeq, int lastSeq, long firstOffset, long lastOffset, long timestampMs) {
    int offsetDelta() {
        return (int) (lastOffset - firstOffset);
    }
}
