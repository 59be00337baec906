package io.millrace.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every subcommand takes: where, which topic, how long, and where the JSON goes. */
final class CommonOptions {

    @Option(names = "--bootstrap", defaultValue = "localhost:9092", paramLabel = "HOST:PORT[,...]",
            description = "Kafka-protocol bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrap;

    @Option(names = "--topic", defaultValue = "bench", paramLabel = "NAME",
            description = "Topic to use (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--partitions", defaultValue = "1", paramLabel = "N",
            description = "Partitions of the topic if it has to be created (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--replication-factor", defaultValue = "1", paramLabel = "N",
            description = "Replication factor of the topic if it has to be created (default: ${DEFAULT-VALUE}).")
    short replicationFactor;

    @Option(names = "--duration", converter = DurationConverter.class, paramLabel = "TIME",
            description = "How long to run, warm-up included (500ms, 30s, 2m; default 10s unless --records is given).")
    Duration duration;

    @Option(names = "--records", paramLabel = "N",
            description = "Stop after N records in total instead of after a duration.")
    Long records;

    @Option(names = "--warmup", converter = DurationConverter.class, defaultValue = "0s", paramLabel = "TIME",
            description = "Leading time whose samples are left out of the summary (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the summary and the per-second series here.")
    Path json;

    @Option(names = "--broker-pid", paramLabel = "PID",
            description = "Also report the CPU time this broker process (read from /proc) used after the warm-up.")
    Long brokerPid;

    @Option(names = "--client-config", paramLabel = "KEY=VALUE",
            description = "Extra Kafka client property for every client (repeatable), e.g. request.timeout.ms=5000.")
    Map<String, String> clientConfig = new LinkedHashMap<>();

    /** Set by a subcommand that has a stop condition of its own ({@code consume --to-end}). */
    boolean stopsByItself;

    /**
     * The run length: {@code --duration}, or 10 s when no other stop condition is given; null when
     * the run ends by record count or by itself.
     */
    Duration effectiveDuration() {
        if (duration == null && records == null && !stopsByItself) {
            return Duration.ofSeconds(10);
        }
        return duration;
    }

    /** @throws IllegalArgumentException for contradicting or out-of-range values */
    void validate() {
        if (duration != null && records != null) {
            throw new IllegalArgumentException("give --duration or --records, not both");
        }
        if (records != null && records < 1) {
            throw new IllegalArgumentException("--records must be at least 1, was " + records);
        }
        if (partitions < 1 || replicationFactor < 1) {
            throw new IllegalArgumentException("--partitions and --replication-factor must be at least 1");
        }
        Duration length = effectiveDuration();
        if (length != null && (length.isNegative() || length.isZero())) {
            throw new IllegalArgumentException("--duration must be positive, was " + DurationConverter.format(length));
        }
        if (warmup.isNegative() || (length != null && warmup.compareTo(length) >= 0)) {
            throw new IllegalArgumentException("--warmup " + DurationConverter.format(warmup)
                    + " must be shorter than --duration " + (length == null ? "-" : DurationConverter.format(length)));
        }
    }
}
