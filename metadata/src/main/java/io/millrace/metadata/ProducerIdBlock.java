package io.millrace.metadata;

/** Producer ids {@code [firstProducerId, firstProducerId + size)}, given to one broker only. */
public record ProducerIdBlock(long firstProducerId, int size) {
    /** How many ids each allocation hands out. */
    public static final int BLOCK_SIZE = 1000;

    public long nextBlockFirstId() {
        return firstProducerId + size;
    }
}
