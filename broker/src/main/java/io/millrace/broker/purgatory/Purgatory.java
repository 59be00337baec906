package io.millrace.broker.purgatory;

import io.netty.util.Timer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Delayed operations waiting on keys (for example a partition). An event on a key calls
 * {@link #checkAndComplete(Object)}, which retries every operation watching that key; a timer
 * wheel expires operations at their deadline. Nothing polls and nothing sleeps.
 *
 * <p>An operation is put on its watch lists before its first {@link DelayedOperation#tryComplete()}
 * so that an event arriving between the check and the watch cannot be missed.
 *
 * <p>Watch sets are kept once created (keys are partitions, a bounded set), so that removing an
 * empty set can never race with an operation being added to it.
 *
 * <p>Thread-safety: all methods may be called from any thread.
 *
 * @param <K> what operations wait on
 */
public final class Purgatory<K> {

    private final Timer timer;
    private final ConcurrentHashMap<K, Set<DelayedOperation>> watchers = new ConcurrentHashMap<>();

    public Purgatory(Timer timer) {
        this.timer = timer;
    }

    /**
     * Completes {@code operation} now if it can, otherwise parks it on {@code keys} until an event
     * completes it or {@code timeoutMs} passes.
     */
    public void tryCompleteElseWatch(DelayedOperation operation, List<K> keys, long timeoutMs) {
        for (K key : keys) {
            watchers.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(operation);
        }
        if (operation.tryComplete()) {
            unwatch(operation, keys);
            return;
        }
        operation.setTimeout(timer.newTimeout(t -> {
            operation.expire();
            unwatch(operation, keys);
        }, Math.max(0, timeoutMs), TimeUnit.MILLISECONDS));
        if (operation.isCompleted()) {
            unwatch(operation, keys);
        }
    }

    /** Retries every operation watching {@code key}; returns how many completed. */
    public int checkAndComplete(K key) {
        Set<DelayedOperation> watching = watchers.get(key);
        if (watching == null || watching.isEmpty()) {
            return 0;
        }
        int completed = 0;
        for (DelayedOperation operation : watching) {
            if (operation.isCompleted() || operation.tryComplete()) {
                watching.remove(operation);
                completed++;
            }
        }
        return completed;
    }

    /** Operations currently watching any key (an operation on several keys counts once per key). */
    public int watched() {
        return watchers.values().stream().mapToInt(Set::size).sum();
    }

    private void unwatch(DelayedOperation operation, List<K> keys) {
        for (K key : keys) {
            Set<DelayedOperation> watching = watchers.get(key);
            if (watching != null) {
                watching.remove(operation);
            }
        }
    }
}
