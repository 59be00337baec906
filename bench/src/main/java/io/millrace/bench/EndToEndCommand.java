package io.millrace.bench;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code bench e2e}: produce at a fixed rate and consume in the same process at the same time;
 * latency is from a record's scheduled send time (written into its value, with a run id) to its
 * arrival at a consumer, on one {@code nanoTime} clock.
 *
 * <p>Order: consumers first, positioned at the end of every partition (assigned: seek to end and
 * resolve the position; group: the same on each partition's first assignment, and the run waits
 * until the group covers every partition); then the producers and the clock. After the last send
 * the consumers get {@link #DRAIN_TIMEOUT} to receive every acknowledged record; what is still
 * missing then is counted as an error of the e2e meter.
 */
@Command(name = "e2e", mixinStandardHelpOptions = true,
        description = "Produce at a fixed rate while consuming; measure produce-to-consume latency.")
final class EndToEndCommand extends BenchCommand {

    /** Value prefix: the scheduled send time (nanoTime), then the run id. */
    static final int STAMP_BYTES = 2 * Long.BYTES;
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    @Mixin
    ProducerOptions producer;

    @Mixin
    ConsumerOptions consumer;

    @Override
    void validate() {
        producer.validate(STAMP_BYTES);
        consumer.validate();
        if (producer.rate <= 0) {
            throw new IllegalArgumentException("e2e measures latency at a fixed rate: give --rate MSG/S");
        }
    }

    @Override
    Summary run(PrintWriter out, int partitions) throws Exception {
        long runId = ThreadLocalRandom.current().nextLong();
        List<TopicPartition> all = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            all.add(new TopicPartition(common.topic, p));
        }
        Meter e2e = new Meter("e2e", Long.MAX_VALUE);
        Set<TopicPartition> positioned = ConcurrentHashMap.newKeySet();
        List<ConsumerLoop> loops = new ArrayList<>();
        CountDownLatch ready = new CountDownLatch(consumer.usesGroup() ? consumer.consumers
                : Math.min(consumer.consumers, partitions));
        for (int i = 0; i < consumer.consumers; i++) {
            List<TopicPartition> share = ConsumeCommand.share(all, i, consumer.consumers);
            if (!consumer.usesGroup() && share.isEmpty()) {
                continue;
            }
            KafkaConsumer<byte[], byte[]> client = Clients.consumer(common, consumer, i, "latest");
            Consumer<KafkaConsumer<byte[], byte[]>> setup = consumer.usesGroup()
                    ? subscribeAtEnd(client, positioned) : assignAtEnd(share, positioned);
            loops.add(new ConsumerLoop(client, setup, ready, e2e, runId, (partition, position) -> { }));
        }
        List<Thread> consumerThreads = new ArrayList<>();
        for (int i = 0; i < loops.size(); i++) {
            Thread thread = new Thread(loops.get(i), "bench-consumer-" + i);
            thread.start();
            consumerThreads.add(thread);
        }
        List<KafkaProducer<byte[], byte[]>> clients = new ArrayList<>();
        producer.bufferMemoryWarning(common.clientConfig, Runtime.getRuntime().maxMemory()).ifPresent(out::println);
        try {
            awaitPositioned(ready, positioned, partitions);
            for (int i = 0; i < producer.producers; i++) {
                KafkaProducer<byte[], byte[]> client = Clients.producer(common, producer, i);
                clients.add(client);
                client.partitionsFor(common.topic);
            }
            return measure(out, partitions, clients, loops, consumerThreads, e2e, runId);
        } finally {
            loops.forEach(ConsumerLoop::stop);
            joinAll(consumerThreads);
            clients.forEach(client -> client.close(Duration.ofSeconds(10)));
        }
    }

    private Summary measure(PrintWriter out, int partitions, List<KafkaProducer<byte[], byte[]>> clients,
                            List<ConsumerLoop> loops, List<Thread> consumerThreads, Meter e2e, long runId)
            throws InterruptedException {
        Duration duration = common.effectiveDuration();
        RunClock clock = new RunClock(System.nanoTime(), common.warmup, duration);
        started(clock);
        e2e.measureFrom(clock.warmupEndNanos());
        Meter produce = new Meter("produce", clock.warmupEndNanos());
        out.printf("End to end on %s (%d partitions): %d producer(s) at %s msg/s, %d-byte records, acks=%s; "
                        + "%d consumer(s), %s; %s%n", common.topic, partitions, producer.producers, producer.rate,
                producer.recordSize, producer.acks, loops.size(),
                consumer.usesGroup() ? "group " + consumer.group : "assigned partitions",
                duration != null ? "for " + DurationConverter.format(duration) : common.records + " records");
        Reporter reporter = new Reporter(clock, List.of(produce, e2e), out, common.brokerPid);
        reporter.start();
        joinAll(ProducerLoop.startAll(clients, common, producer, clock, produce, true, runId));
        long sendEndNanos = System.nanoTime();
        long drainDeadline = sendEndNanos + DRAIN_TIMEOUT.toNanos();
        while (e2e.totalRecords() < produce.totalRecords() && System.nanoTime() - drainDeadline < 0
                && !clock.isStopped() && consumerThreads.stream().anyMatch(Thread::isAlive)) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        long endNanos = System.nanoTime();
        loops.forEach(ConsumerLoop::stop);
        long missing = produce.totalRecords() - e2e.totalRecords();
        if (missing > 0) {
            e2e.onError("NOT_CONSUMED (acknowledged, not received within " + DRAIN_TIMEOUT.toSeconds() + " s)", missing);
        }
        List<Reporter.Point> series = reporter.finish();
        double from = Math.max(clock.startNanos(), clock.warmupEndNanos());
        return new Summary("e2e", args(), common.warmup.toMillis() / 1e3, List.of(
                Summary.MeterSummary.of("produce", produce.takeMeasured(), (sendEndNanos - from) / 1e9),
                Summary.MeterSummary.of("e2e", e2e.takeMeasured(), (endNanos - from) / 1e9)),
                reporter.measuredCpu(), series);
    }

    private static Consumer<KafkaConsumer<byte[], byte[]>> assignAtEnd(List<TopicPartition> share,
                                                                       Set<TopicPartition> positioned) {
        return client -> {
            client.assign(share);
            client.seekToEnd(share);
            share.forEach(client::position);
            positioned.addAll(share);
        };
    }

    /** Seeks to the end on a partition's first assignment only: later moves continue from committed offsets. */
    private Consumer<KafkaConsumer<byte[], byte[]>> subscribeAtEnd(KafkaConsumer<byte[], byte[]> client,
                                                                    Set<TopicPartition> positioned) {
        return subscriber -> subscriber.subscribe(List.of(common.topic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                List<TopicPartition> fresh = partitions.stream().filter(p -> !positioned.contains(p)).toList();
                client.seekToEnd(fresh);
                fresh.forEach(client::position);
                positioned.addAll(fresh);
            }

            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            }
        });
    }

    /** Group consumers join in their first polls, so readiness there is "every partition positioned". */
    private void awaitPositioned(CountDownLatch ready, Set<TopicPartition> positioned, int partitions)
            throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        ready.await(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        while (positioned.size() < partitions) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("consumers positioned " + positioned.size() + " of " + partitions
                        + " partitions after " + READY_TIMEOUT.toSeconds() + " s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}
