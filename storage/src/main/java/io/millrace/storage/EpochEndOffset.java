package io.millrace.storage;

/**
 * The answer to OffsetForLeaderEpoch: the largest known epoch not above the requested one and the
 * offset at which it ended (start of the next epoch, or the log end offset for the latest one).
 */
public record EpochEndOffset(int leaderEpoch, long endOffset) {
    /** Kafka's UNDEFINED_EPOCH / UNDEFINED_EPOCH_OFFSET pair: nothing is known. */
    public static final EpochEndOffset UNDEFINED = new EpochEndOffset(-1, -1L);
}
