package io.millrace.metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;

/**
 * Futures that complete once this node has applied the Raft log up to a given index. This is
 * how a proposer's answer waits until its own {@code image()} reflects the change, even when
 * the leader applied it first (DESIGN decision 6).
 *
 * <p>Thread-safety: all state is guarded by {@code this}; futures are completed outside the lock,
 * on the thread that reports the applied index (the apply thread), so dependents must be cheap.
 */
final class AppliedIndexWaiters {
    private record Waiter(long index, CompletableFuture<Void> future) {
    }

    private final PriorityQueue<Waiter> waiting = new PriorityQueue<>((a, b) -> Long.compare(a.index, b.index));
    private long appliedIndex = -1;
    private Throwable closedCause;

    /** Completes once the applied index reaches {@code index}; at once if it already has. */
    CompletableFuture<Void> await(long index) {
        synchronized (this) {
            if (closedCause != null) {
                return CompletableFuture.failedFuture(closedCause);
            }
            if (appliedIndex < index) {
                CompletableFuture<Void> future = new CompletableFuture<>();
                waiting.add(new Waiter(index, future));
                return future;
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    void onApplied(long index) {
        List<Waiter> done = new ArrayList<>();
        synchronized (this) {
            appliedIndex = Math.max(appliedIndex, index);
            while (!waiting.isEmpty() && waiting.peek().index <= appliedIndex) {
                done.add(waiting.poll());
            }
        }
        done.forEach(w -> w.future.complete(null));
    }

    synchronized long appliedIndex() {
        return appliedIndex;
    }

    /** Fails every waiter, now and later, with {@code cause}. */
    void close(Throwable cause) {
        List<Waiter> failed;
        synchronized (this) {
            closedCause = cause;
            failed = new ArrayList<>(waiting);
            waiting.clear();
        }
        failed.forEach(w -> w.future.completeExceptionally(cause));
    }
}
