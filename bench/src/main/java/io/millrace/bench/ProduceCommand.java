package io.millrace.bench;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code bench produce}: N producers, open or closed loop; latency is send to acknowledgement. */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = "Produce records and measure throughput and send-to-acknowledgement latency.")
final class ProduceCommand extends BenchCommand {

    private static final byte[] PRIME_VALUE = "prime".getBytes(StandardCharsets.US_ASCII);

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
            if (producer.prime) {
                prime(out, partitions);
            }
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
            Reporter reporter = new Reporter(clock, List.of(meter), out, common.brokerPid);
            reporter.start();
            List<Thread> threads = ProducerLoop.startAll(clients, common, producer, clock, meter, false, 0);
            joinAll(threads);
            long endNanos = System.nanoTime();
            List<Reporter.Point> series = reporter.finish();
            double seconds = (endNanos - Math.max(clock.startNanos(), clock.warmupEndNanos())) / 1e9;
            return new Summary("produce", args(), common.warmup.toMillis() / 1e3,
                    List.of(Summary.MeterSummary.of("produce", meter.takeMeasured(), seconds)), reporter.measuredCpu(),
                    series);
        } finally {
            clients.forEach(client -> client.close(Duration.ofSeconds(10)));
        }
    }

    /** One record to each partition, through a producer of its own, all acknowledged before the run. */
    private void prime(PrintWriter out, int partitions) throws InterruptedException, ExecutionException {
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> client = Clients.producer(common, producer, -1)) {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (int partition = 0; partition < partitions; partition++) {
                sends.add(client.send(new ProducerRecord<>(common.topic, partition, null, PRIME_VALUE)));
            }
            for (Future<RecordMetadata> send : sends) {
                send.get();
            }
        }
        out.printf(Locale.ROOT, "Primed %d partition(s) of %s in %.3f s%n", partitions, common.topic,
                (System.nanoTime() - start) / 1e9);
    }
}
