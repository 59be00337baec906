package io.millrace.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Futures waiting for a partition's durable end offset to pass an offset, and listeners told
 * each time a flush advances it.
 *
 * <p>Thread-safety: safe from any thread. Waiters are registered by request threads and completed
 * by a flusher thread; futures and listeners run on that flusher thread, so they must hand heavy
 * work elsewhere. A waiter registered concurrently with a flush is re-checked after registration,
 * so it cannot miss the flush that covers it.
 */
final class DurableWaiters {
    private record Waiter(long offset, CompletableFuture<Void> future) {
    }

    private final PriorityQueue<Waiter> waiters = new PriorityQueue<>((a, b) -> Long.compare(a.offset, b.offset));
    private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();

    /** A future completing once {@code durableEnd} exceeds {@code offset}. */
    CompletableFuture<Void> await(long offset, LongSupplier durableEnd) {
        if (durableEnd.getAsLong() > offset) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> future = new CompletableFuture<>();
        synchronized (this) {
            waiters.add(new Waiter(offset, future));
        }
        onFlushed(durableEnd.getAsLong(), false);
        return future;
    }

    void addListener(LongConsumer listener) {
        listeners.add(listener);
    }

    /** Completes every waiter below {@code durableEnd}; tells listeners when {@code advanced}. */
    void onFlushed(long durableEnd, boolean advanced) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        synchronized (this) {
            while (!waiters.isEmpty() && waiters.peek().offset < durableEnd) {
                done.add(waiters.poll().future);
            }
        }
        done.forEach(f -> f.complete(null));
        if (advanced) {
            for (LongConsumer listener : listeners) {
                listener.accept(durableEnd);
            }
        }
    }

    /** Fails every waiter, e.g. when the log is closed or an fsync failed. */
    void failAll(Throwable cause) {
        List<CompletableFuture<Void>> failed = new ArrayList<>();
        synchronized (this) {
            while (!waiters.isEmpty()) {
                failed.add(waiters.poll().future);
            }
        }
        failed.forEach(f -> f.completeExceptionally(cause));
    }
}
