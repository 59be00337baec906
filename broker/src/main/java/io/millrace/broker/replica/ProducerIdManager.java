package io.millrace.broker.replica;

import io.millrace.metadata.MetadataService;
import io.millrace.metadata.ProducerIdBlock;
import java.util.concurrent.CompletableFuture;

/**
 * Hands out producer ids for idempotent producers from blocks allocated through cluster metadata,
 * so ids are unique across the cluster and across restarts without a Raft write per producer.
 * When a block runs out the next one is requested; callers in the meantime wait on the same
 * request.
 *
 * <p>Thread-safety: all state is guarded by this object's lock; no lock is held while waiting.
 */
public final class ProducerIdManager {

    private final MetadataService metadata;
    private final int nodeId;
    private long nextId;
    private long blockEnd;
    private CompletableFuture<ProducerIdBlock> pendingBlock;

    public ProducerIdManager(MetadataService metadata, int nodeId) {
        this.metadata = metadata;
        this.nodeId = nodeId;
    }

    /** The next unused producer id. */
    public CompletableFuture<Long> nextProducerId() {
        CompletableFuture<ProducerIdBlock> waitFor;
        synchronized (this) {
            if (nextId < blockEnd) {
                return CompletableFuture.completedFuture(nextId++);
            }
            if (pendingBlock == null) {
                // Waiters chain on the future returned by whenComplete, so they run only after the
                // new block has been installed.
                pendingBlock = metadata.allocateProducerIds(nodeId).whenComplete((block, failure) -> onBlock(block));
            }
            waitFor = pendingBlock;
            if (waitFor.isDone()) {
                pendingBlock = null; // completed synchronously; onBlock has already run
            }
        }
        return waitFor.thenCompose(block -> nextProducerId());
    }

    private synchronized void onBlock(ProducerIdBlock block) {
        pendingBlock = null;
        if (block != null && nextId >= blockEnd) {
            nextId = block.firstProducerId();
            blockEnd = block.firstProducerId() + block.size();
        }
    }
}
