package io.millrace.bench;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerConfig;
import picocli.CommandLine.Option;

/** How records are produced: clients, size, keys, client settings and rate. */
final class ProducerOptions {

    /** The Java producer's default {@code buffer.memory}. */
    static final long DEFAULT_BUFFER_MEMORY_BYTES = 32L * 1024 * 1024;

    @Option(names = "--producers", defaultValue = "1", paramLabel = "N",
            description = "Producer clients, each a separate KafkaProducer on its own thread (default: ${DEFAULT-VALUE}).")
    int producers;

    @Option(names = "--record-size", defaultValue = "1024", paramLabel = "BYTES",
            description = "Value size in bytes, random content (default: ${DEFAULT-VALUE}).")
    int recordSize;

    @Option(names = "--keys", defaultValue = "none", converter = KeyPattern.Converter.class,
            paramLabel = "none|random|fixed:N", description = "Record keys (default: ${DEFAULT-VALUE}).")
    KeyPattern keys;

    @Option(names = "--compression", defaultValue = "none", paramLabel = "TYPE",
            description = "compression.type: none, gzip, snappy, lz4, zstd (default: ${DEFAULT-VALUE}).")
    String compression;

    @Option(names = "--acks", defaultValue = "all", paramLabel = "0|1|all",
            description = "acks (default: ${DEFAULT-VALUE}).")
    String acks;

    @Option(names = "--linger-ms", paramLabel = "MS", description = "linger.ms (default: the client's).")
    Integer lingerMs;

    @Option(names = "--batch-size", paramLabel = "BYTES", description = "batch.size (default: the client's).")
    Integer batchSize;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "MSG/S",
            description = "Target rate over all producers: open loop, latency counted from each record's scheduled "
                    + "send time. 0: as fast as the clients accept records (closed loop; default).")
    double rate;

    @Option(names = "--prime",
            description = "Before the clock starts, write one record to every partition with a separate producer "
                    + "and wait until each is acknowledged, so the run measures a topic that is writable everywhere "
                    + "(a broker may still be making a just-created topic's partitions leaders).")
    boolean prime;

    /** @param minimumRecordSize bytes the value must hold (e2e stores a timestamp in it) */
    void validate(int minimumRecordSize) {
        if (producers < 1) {
            throw new IllegalArgumentException("--producers must be at least 1, was " + producers);
        }
        if (recordSize < minimumRecordSize) {
            throw new IllegalArgumentException(
                    "--record-size must be at least " + minimumRecordSize + ", was " + recordSize);
        }
        if (rate < 0) {
            throw new IllegalArgumentException("--rate must not be negative, was " + rate);
        }
    }

    /**
     * A warning when the producers' buffers together may take more than half of this JVM's heap:
     * a closed loop fills them, so latency measures those queues and GC pauses stall the tool
     * itself (seen with 128 producers at the client's 32 MiB default).
     */
    Optional<String> bufferMemoryWarning(Map<String, String> clientConfig, long maxHeapBytes) {
        long perProducer = Long.parseLong(clientConfig.getOrDefault(ProducerConfig.BUFFER_MEMORY_CONFIG,
                String.valueOf(DEFAULT_BUFFER_MEMORY_BYTES)));
        long total = perProducer * producers;
        if (total <= maxHeapBytes / 2) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "Warning: %d producers x %d MiB buffer.memory may hold %,d MiB "
                        + "in this JVM (max heap %,d MiB); lower it with --client-config buffer.memory=BYTES or raise "
                        + "the heap with MILLRACE_JVM_OPTS=-Xmx...", producers, perProducer >> 20, total >> 20,
                maxHeapBytes >> 20));
    }
}
