package io.millrace.bench;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench consume}: N consumers in a group or with assigned partitions; throughput, and the
 * age of each record when it arrives as latency. Ends at {@code --duration}, after
 * {@code --records} records, or with {@code --to-end} once every partition is read up to the end
 * offset it had when the run started.
 */
@Command(name = "consume", mixinStandardHelpOptions = true,
        description = "Consume records and measure throughput and record age on arrival.")
final class ConsumeCommand extends BenchCommand {

    @Mixin
    ConsumerOptions consumer;

    @Option(names = "--from", defaultValue = "earliest", paramLabel = "earliest|latest",
            description = "Where consumers without a committed offset start (default: ${DEFAULT-VALUE}).")
    String from;

    @Option(names = "--to-end", description = "Stop once every partition is read up to its end offset at the start.")
    boolean toEnd;

    @Override
    void validate() {
        consumer.validate();
        if (!from.equals("earliest") && !from.equals("latest")) {
            throw new IllegalArgumentException("--from must be earliest or latest, was " + from);
        }
        if (toEnd && from.equals("latest")) {
            throw new IllegalArgumentException("--to-end reads what is already there; it needs --from earliest");
        }
        common.stopsByItself = toEnd;
    }

    @Override
    Summary run(PrintWriter out, int partitions) throws Exception {
        List<TopicPartition> all = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            all.add(new TopicPartition(common.topic, p));
        }
        Set<TopicPartition> remaining = ConcurrentHashMap.newKeySet();
        Map<TopicPartition, Long> endOffsets = toEnd ? unreadEnds(all) : Map.of();
        remaining.addAll(endOffsets.keySet());
        Duration duration = common.effectiveDuration();
        RunClock clock = new RunClock(System.nanoTime(), common.warmup, duration);
        started(clock);
        Meter meter = new Meter("consume", clock.warmupEndNanos());
        ConsumerLoop.PositionListener positions = (partition, position) -> {
            Long end = endOffsets.get(partition);
            if (end != null && position >= end) {
                remaining.remove(partition);
            }
        };
        List<ConsumerLoop> loops = startConsumers(all, meter, positions);
        String until = toEnd ? "to the end offsets at the start"
                : duration != null ? "for " + DurationConverter.format(duration) : common.records + " records";
        out.printf("Consuming %s (%d partitions) with %d consumer(s), %s, from %s, %s%n", common.topic, partitions,
                loops.size(), consumer.usesGroup() ? "group " + consumer.group : "assigned partitions", from, until);
        Reporter reporter = new Reporter(clock, List.of(meter), out, common.brokerPid);
        reporter.start();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < loops.size(); i++) {
            Thread thread = new Thread(loops.get(i), "bench-consumer-" + i);
            thread.start();
            threads.add(thread);
        }
        long endNanos = awaitEnd(clock, meter, remaining, threads);
        List<Reporter.Point> series = reporter.finish();
        loops.forEach(ConsumerLoop::stop);
        joinAll(threads);
        double seconds = (endNanos - Math.max(clock.startNanos(), clock.warmupEndNanos())) / 1e9;
        return new Summary("consume", args(), common.warmup.toMillis() / 1e3,
                List.of(Summary.MeterSummary.of("consume", meter.takeMeasured(), Math.max(0, seconds))),
                reporter.measuredCpu(), series);
    }

    /** @return when the run ended: deadline, record count, end offsets reached, Ctrl-C, or every consumer failed */
    private long awaitEnd(RunClock clock, Meter meter, Set<TopicPartition> remaining, List<Thread> threads) {
        while (true) {
            long now = System.nanoTime();
            boolean done = clock.isStopped() || clock.isPastDeadline(now)
                    || (common.records != null && meter.totalRecords() >= common.records)
                    || (toEnd && remaining.isEmpty())
                    || threads.stream().noneMatch(Thread::isAlive);
            if (done) {
                return now;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    private List<ConsumerLoop> startConsumers(List<TopicPartition> all, Meter meter,
                                              ConsumerLoop.PositionListener positions) {
        List<ConsumerLoop> loops = new ArrayList<>();
        for (int i = 0; i < consumer.consumers; i++) {
            Consumer<KafkaConsumer<byte[], byte[]>> setup;
            if (consumer.usesGroup()) {
                setup = client -> client.subscribe(List.of(common.topic));
            } else {
                List<TopicPartition> share = share(all, i, consumer.consumers);
                if (share.isEmpty()) {
                    continue;
                }
                setup = client -> {
                    client.assign(share);
                    if (from.equals("earliest")) {
                        client.seekToBeginning(share);
                    } else {
                        client.seekToEnd(share);
                    }
                };
            }
            KafkaConsumer<byte[], byte[]> client = Clients.consumer(common, consumer, i, from);
            loops.add(new ConsumerLoop(client, setup, new CountDownLatch(1), meter, null, positions));
        }
        return loops;
    }

    /** Partitions {@code index}, {@code index + count}, ... : round-robin over the consumers. */
    static List<TopicPartition> share(List<TopicPartition> all, int index, int count) {
        List<TopicPartition> share = new ArrayList<>();
        for (int p = index; p < all.size(); p += count) {
            share.add(all.get(p));
        }
        return share;
    }

    /** End offsets of the partitions that hold records (end above the start offset). */
    private Map<TopicPartition, Long> unreadEnds(List<TopicPartition> all) throws Exception {
        try (Admin admin = Admin.create(Clients.admin(common))) {
            Map<TopicPartition, Long> earliest = offsets(admin, all, OffsetSpec.earliest());
            Map<TopicPartition, Long> latest = offsets(admin, all, OffsetSpec.latest());
            Map<TopicPartition, Long> ends = new HashMap<>();
            latest.forEach((partition, end) -> {
                if (end > earliest.getOrDefault(partition, 0L)) {
                    ends.put(partition, end);
                }
            });
            return ends;
        }
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> all, OffsetSpec spec)
            throws Exception {
        Map<TopicPartition, OffsetSpec> request = all.stream().collect(Collectors.toMap(Function.identity(), p -> spec));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result =
                admin.listOffsets(request).all().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        result.forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }
}
