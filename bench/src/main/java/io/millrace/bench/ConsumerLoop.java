package io.millrace.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * One consumer client's poll loop, on its own thread; it owns the client from setup to close.
 *
 * <p>What a record's latency is depends on the command. {@code consume}: the record's age, the
 * wall clock now minus its timestamp (millisecond resolution; meaningful when the producer runs
 * at the same time on a clock in step with this one). {@code e2e}: {@code nanoTime} now minus the
 * due time the {@link ProducerLoop} of this same process wrote into the value; records without
 * this run's id are skipped, not counted.
 */
final class ConsumerLoop implements Runnable {

    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Consumer<KafkaConsumer<byte[], byte[]>> setup;
    private final CountDownLatch ready;
    private final Meter meter;
    private final Long e2eRunId;
    private final PositionListener positions;
    private volatile boolean stopped;

    interface PositionListener {
        void onPosition(TopicPartition partition, long position);
    }

    /**
     * @param setup     assigns or subscribes, on this loop's thread, before the first poll
     * @param ready     counted down once the setup is done (positions resolved, for {@code e2e})
     * @param e2eRunId  the run id of {@code e2e} records, or null for record age
     * @param positions told each partition's position after every poll that returned its records
     */
    ConsumerLoop(KafkaConsumer<byte[], byte[]> consumer, Consumer<KafkaConsumer<byte[], byte[]>> setup,
                 CountDownLatch ready, Meter meter, Long e2eRunId, PositionListener positions) {
        this.consumer = consumer;
        this.setup = setup;
        this.ready = ready;
        this.meter = meter;
        this.e2eRunId = e2eRunId;
        this.positions = positions;
    }

    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        try (consumer) {
            setup.accept(consumer);
            ready.countDown();
            while (!stopped) {
                pollOnce();
            }
        } catch (RuntimeException e) {
            meter.onError(e);
            ready.countDown();
        }
    }

    private void pollOnce() {
        ConsumerRecords<byte[], byte[]> records;
        try {
            records = consumer.poll(POLL_TIMEOUT);
        } catch (RuntimeException e) {
            meter.onError(e);
            return;
        }
        long nowNanos = System.nanoTime();
        long nowMs = System.currentTimeMillis();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            int bytes = (record.key() == null ? 0 : record.key().length)
                    + (record.value() == null ? 0 : record.value().length);
            if (e2eRunId == null) {
                meter.onSuccess((nowMs - record.timestamp()) * 1_000_000L, bytes, nowNanos);
            } else if (record.value() != null && record.value().length >= EndToEndCommand.STAMP_BYTES) {
                ByteBuffer stamp = ByteBuffer.wrap(record.value());
                long dueNanos = stamp.getLong();
                if (stamp.getLong() == e2eRunId) {
                    meter.onSuccess(nowNanos - dueNanos, bytes, nowNanos);
                }
            }
        }
        for (TopicPartition partition : records.partitions()) {
            positions.onPosition(partition, consumer.position(partition));
        }
    }
}
