package io.millrace.broker;

import io.millrace.broker.network.NamedThreadFactory;
import io.millrace.broker.replica.TopicPartition;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Hands high-watermark moves to the purgatories on a thread of its own. The moves are reported on
 * the storage flusher threads (durable policy); completing delayed fetches there would read logs
 * and build responses on the thread every durable write waits for. Moves of one partition that
 * arrive while a notification is queued are coalesced into it.
 */
final class HighWatermarkNotifier implements Consumer<TopicPartition>, AutoCloseable {

    private final Consumer<TopicPartition> purgatories;
    private final Set<TopicPartition> queued = ConcurrentHashMap.newKeySet();
    private final ExecutorService executor =
            Executors.newSingleThreadExecutor(new NamedThreadFactory("millrace-hw-notifier"));

    HighWatermarkNotifier(Consumer<TopicPartition> purgatories) {
        this.purgatories = purgatories;
    }

    @Override
    public void accept(TopicPartition tp) {
        if (queued.add(tp)) {
            try {
                executor.execute(() -> {
                    queued.remove(tp);
                    purgatories.accept(tp);
                });
            } catch (RejectedExecutionException closed) {
                queued.remove(tp);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        executor.shutdown();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }
}
