package io.millrace.bench;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code bench produce}: N producers, open or closed loop; latency is send to acknowledgement. */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = "Produce records and measure throughput and send-to-acknowledgement latency.")
final class ProduceCommand extends BenchCommand {

    @Mixin
    ProducerOptions producer;

    @Override
    void validate() {
        producer.validate(0);
    }

    @Override
    Summary run(PrintWriter out, int partitions) throws Exception {
        List<KafkaProducer<byte[], byte[]>> clients = new ArrayList<>();
        producer.bufferMemoryWarning(common.clientConfig, Runtime.getRuntime().maxMemory()).ifPresent(out::println);
        try {
            for (int i = 0; i < producer.producers; i++) {
                KafkaProducer<byte[], byte[]> client = Clients.producer(common, producer, i);
                clients.add(client);
                client.partitionsFor(common.topic);
            }
            Duration duration = common.effectiveDuration();
            RunClock clock = new RunClock(System.nanoTime(), common.warmup, duration);
            started(clock);
            Meter meter = new Meter("produce", clock.warmupEndNanos());
            out.printf("Producing to %s (%d partitions) with %d producer(s), %d-byte records, acks=%s, %s for %s%n",
                    common.topic, partitions, producer.producers, producer.recordSize, producer.acks,
                    producer.rate > 0 ? "open loop at " + producer.rate + " msg/s" : "closed loop",
                    duration != null ? DurationConverter.format(duration) : common.records + " records");
            Reporter reporter = new Reporter(clock, List.of(meter), out);
            reporter.start();
            List<Thread> threads = ProducerLoop.startAll(clients, common, producer, clock, meter, false, 0);
            joinAll(threads);
            long endNanos = System.nanoTime();
            List<Reporter.Point> series = reporter.finish();
            double seconds = (endNanos - Math.max(clock.startNanos(), clock.warmupEndNanos())) / 1e9;
            return new Summary("produce", args(), common.warmup.toMillis() / 1e3,
                    List.of(Summary.MeterSummary.of("produce", meter.takeMeasured(), seconds)), series);
        } finally {
            clients.forEach(client -> client.close(Duration.ofSeconds(10)));
        }
    }
}
