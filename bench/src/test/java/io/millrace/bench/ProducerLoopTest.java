package io.millrace.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ProducerLoopTest {

    /**
     * A broker that acknowledges nothing until the end: an open loop still sends every record on
     * schedule, and each one's latency runs from its due time, so the first record waited about
     * the whole run and the median about half of it.
     */
    @Test
    void openLoopCountsAStalledBrokerAsLatencyFromEachDueTime() {
        MockProducer<byte[], byte[]> stalled = new MockProducer<>(false, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        ProducerOptions options = options("--rate", "1000", "--record-size", "16");
        RunClock clock = new RunClock(System.nanoTime(), Duration.ZERO, Duration.ofMillis(300));
        Meter meter = new Meter("produce", clock.warmupEndNanos());

        new ProducerLoop(stalled, "t", 0, options, false, 0, 1_000_000, clock.startNanos(), -1, clock, meter).run();

        Meter.Measured measured = meter.takeMeasured();
        assertThat(measured.records()).isEqualTo(300);
        assertThat(measured.latencyMicros().getMaxValue()).isGreaterThanOrEqualTo(290_000);
        assertThat(measured.latencyMicros().getValueAtPercentile(50)).isBetween(120_000L, 260_000L);
        assertThat(measured.errors()).isEmpty();
    }

    @Test
    void closedLoopStopsAtItsRecordCountWithTheGivenKeys() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        RunClock clock = new RunClock(System.nanoTime(), Duration.ZERO, null);
        Meter meter = new Meter("produce", clock.warmupEndNanos());

        new ProducerLoop(producer, "t", 0, options("--keys", "fixed:3"), false, 0, 0, clock.startNanos(), 50, clock,
                meter).run();

        assertThat(producer.history()).hasSize(50);
        assertThat(producer.history()).extracting(record -> new String(record.key(), StandardCharsets.US_ASCII))
                .containsOnly("key-0", "key-1", "key-2");
        assertThat(meter.takeMeasured().records()).isEqualTo(50);
    }

    @Test
    void everyFailedSendIsCountedByErrorCode() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        producer.sendException = new RecordTooLargeException("too big");
        RunClock clock = new RunClock(System.nanoTime(), Duration.ZERO, null);
        Meter meter = new Meter("produce", clock.warmupEndNanos());

        new ProducerLoop(producer, "t", 0, options(), false, 0, 0, clock.startNanos(), 20, clock, meter).run();

        Meter.Measured measured = meter.takeMeasured();
        assertThat(measured.records()).isZero();
        assertThat(measured.errors()).containsExactly(Map.entry("MESSAGE_TOO_LARGE (10)", 20L));
    }

    private static ProducerOptions options(String... args) {
        ProducerOptions options = new ProducerOptions();
        new CommandLine(options).parseArgs(args);
        return options;
    }
}
