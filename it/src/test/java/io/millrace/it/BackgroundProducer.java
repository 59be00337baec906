package io.millrace.it;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Produces keyed records ({@code key-<seq % 64>}, {@code seq-<seq>}) to one topic on its own
 * thread at about {@code recordsPerSecond}, until closed. Values are unique, so a consumer can tell
 * every record apart; the keys spread the records over all partitions with the default
 * partitioner. Counts acknowledged and failed sends; {@link #close()} flushes, stops the thread
 * and closes the producer.
 */
final class BackgroundProducer implements AutoCloseable {

    private static final int KEYS = 64;

    private final KafkaProducer<String, String> producer;
    private final String topic;
    private final int recordsPerSecond;
    private final Thread thread;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> firstError = new AtomicReference<>();
    private volatile boolean stopping;

    private BackgroundProducer(MillraceNode node, String topic, int recordsPerSecond, Map<String, Object> overrides) {
        this.topic = topic;
        this.recordsPerSecond = recordsPerSecond;
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        config.putAll(overrides);
        this.producer = KafkaSupport.producer(node, config);
        this.thread = new Thread(this::run, "background-producer-" + topic);
    }

    static BackgroundProducer start(MillraceNode node, String topic, int recordsPerSecond,
                                    Map<String, Object> overrides) {
        BackgroundProducer producer = new BackgroundProducer(node, topic, recordsPerSecond, overrides);
        producer.thread.start();
        return producer;
    }

    long acked() {
        return acked.get();
    }

    long failed() {
        return failed.get();
    }

    long sent() {
        return sent.get();
    }

    Exception firstError() {
        return firstError.get();
    }

    @Override
    public void close() {
        stopping = true;
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        producer.close(Duration.ofSeconds(60));
    }

    @Override
    public String toString() {
        return "producer to " + topic + ": sent " + sent + ", acked " + acked + ", failed " + failed
                + (firstError.get() == null ? "" : ", first error " + firstError.get());
    }

    private void run() {
        long startNanos = System.nanoTime();
        for (long seq = 0; !stopping; seq++) {
            // Paces the stream: never more than recordsPerSecond on average since the start.
            while (!stopping && seq > (System.nanoTime() - startNanos) * recordsPerSecond / 1_000_000_000L) {
                parkBriefly();
            }
            try {
                producer.send(new ProducerRecord<>(topic, "key-" + (seq % KEYS), "seq-" + seq), (metadata, error) -> {
                    if (error == null) {
                        acked.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        firstError.compareAndSet(null, error);
                    }
                });
                sent.incrementAndGet();
            } catch (KafkaException e) {
                failed.incrementAndGet();
                firstError.compareAndSet(null, e);
            }
        }
        producer.flush();
    }

    private static void parkBriefly() {
        try {
            TimeUnit.MILLISECONDS.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
