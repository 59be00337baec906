package io.millrace.metadata;

/**
 * Told about every new {@link MetadataImage}. Called on the state machine's apply thread (or the
 * Raft thread that reports a leader change), in the order images were published; an
 * implementation must be fast and must not block, because the next command waits for it.
 */
@FunctionalInterface
public interface MetadataListener {
    void onMetadataUpdate(MetadataImage previous, MetadataImage current);
}
