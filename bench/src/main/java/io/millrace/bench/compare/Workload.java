package io.millrace.bench.compare;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The workloads of issue 4, as load-tool command lines. Each one runs against a fresh broker; W3
 * writes its data first (not measured), then measures two reads of it, so it yields two results.
 * W1H is W1 at a fixed rate (issue 4 compares latency there, since at an unlimited rate latency
 * measures the client's own queue); its rate comes from Kafka's W1 result.
 */
enum Workload {
    W1("1 producer, 1 KiB, acks=all, 1 partition, unlimited rate", Duration.ofSeconds(30), Duration.ofSeconds(5)),
    W1H("W1 at a fixed rate: half of Kafka's W1 msg/s (open loop; latency from the scheduled send time)",
            Duration.ofSeconds(30), Duration.ofSeconds(5)),
    W2("128 producers, 256 B, acks=1, 3 partitions, buffer.memory=2097152 (SCENARIOS.md S1)",
            Duration.ofSeconds(30), Duration.ofSeconds(5)),
    W3("consume data written before: 1 consumer, then a group of 3 (3 partitions, 1 KiB records)", null, null),
    W4("end to end at 20,000 msg/s, 1 KiB, acks=all, 1 partition", Duration.ofSeconds(30), Duration.ofSeconds(5)),
    W5("1,000 partitions, 8 producers, random keys, 1 KiB, acks=all, unlimited rate (every partition written "
            + "once before the clock starts)",
            Duration.ofSeconds(30), Duration.ofSeconds(5));

    /** One measured load-tool run of a workload: a subcommand, its arguments, and the meter to report. */
    record Step(String label, String subcommand, List<String> args, String meter, boolean measured) {
    }

    final String description;
    final Duration defaultDuration;
    final Duration defaultWarmup;

    Workload(String description, Duration defaultDuration, Duration defaultWarmup) {
        this.description = description;
        this.defaultDuration = defaultDuration;
        this.defaultWarmup = defaultWarmup;
    }

    static Workload parse(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }

    /**
     * @param duration    replaces the default run length of the timed workloads (W1, W2, W4, W5)
     * @param w3Bytes     bytes of record values W3 writes and then reads
     * @param w1hRate     W1H's rate in msg/s (ignored by the others)
     */
    List<Step> steps(Duration duration, long w3Bytes, long w1hRate) {
        Duration length = duration != null ? duration : defaultDuration;
        Duration warmup = defaultWarmup;
        if (length != null && warmup != null && warmup.multipliedBy(2).compareTo(length) >= 0) {
            warmup = length.dividedBy(5);
        }
        String time = length == null ? null : length.toMillis() + "ms";
        String warm = warmup == null ? null : warmup.toMillis() + "ms";
        List<Step> steps = new ArrayList<>();
        switch (this) {
            case W1 -> steps.add(new Step("W1", "produce", List.of("--topic", "w1", "--partitions", "1",
                    "--producers", "1", "--record-size", "1024", "--acks", "all", "--duration", time,
                    "--warmup", warm), "produce", true));
            case W1H -> steps.add(new Step("W1H", "produce", List.of("--topic", "w1h", "--partitions", "1",
                    "--producers", "1", "--record-size", "1024", "--acks", "all", "--rate", Long.toString(w1hRate),
                    "--duration", time, "--warmup", warm), "produce", true));
            case W2 -> steps.add(new Step("W2", "produce", List.of("--topic", "w2", "--partitions", "3",
                    "--producers", "128", "--record-size", "256", "--acks", "1", "--duration", time,
                    "--warmup", warm, "--client-config", "buffer.memory=2097152"), "produce", true));
            case W3 -> {
                long records = Math.max(1, w3Bytes / 1024);
                steps.add(new Step("W3 write", "produce", List.of("--topic", "w3", "--partitions", "3",
                        "--producers", "3", "--record-size", "1024", "--acks", "1",
                        "--records", Long.toString(records)), "produce", false));
                steps.add(new Step("W3/1", "consume", List.of("--topic", "w3", "--group", "w3-one",
                        "--consumers", "1", "--to-end"), "consume", true));
                steps.add(new Step("W3/3", "consume", List.of("--topic", "w3", "--group", "w3-three",
                        "--consumers", "3", "--to-end"), "consume", true));
            }
            case W4 -> steps.add(new Step("W4", "e2e", List.of("--topic", "w4", "--partitions", "1",
                    "--rate", "20000", "--record-size", "1024", "--acks", "all", "--duration", time,
                    "--warmup", warm), "e2e", true));
            case W5 -> steps.add(new Step("W5", "produce", List.of("--topic", "w5", "--partitions", "1000",
                    "--producers", "8", "--keys", "random", "--record-size", "1024", "--acks", "all",
                    "--duration", time, "--warmup", warm, "--prime"), "produce", true));
            default -> throw new IllegalStateException(name());
        }
        return steps;
    }
}
