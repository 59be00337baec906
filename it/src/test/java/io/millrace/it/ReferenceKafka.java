package io.millrace.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;

/**
 * Runs Apache Kafka 4.3.1 (kafka_2.13 from Maven Central, on the it module's test classpath) in
 * place of Millrace, as a single KRaft node in its own process, when the tests run with
 * {@code -Dit.broker=kafka}. Its only use is to check the tests themselves: an expectation that
 * fails against Kafka is a wrong expectation. Kafka never becomes a dependency of Millrace.
 *
 * <p>The node's Millrace settings are translated: the Raft port becomes Kafka's CONTROLLER
 * listener; settings Kafka does not have ({@code http.listener}, {@code log.flush.policy}) are
 * dropped; segment sizes below Kafka's minimum of 1 MiB are raised to it. Readiness is Kafka's "Kafka Server started" log line, since Kafka has no health URL.
 */
final class ReferenceKafka {

    static final String STARTED_LINE = "Kafka Server started";
    /** Kafka refuses smaller segments; Millrace tests may use smaller ones to roll often. */
    private static final long KAFKA_MIN_SEGMENT_BYTES = 1024 * 1024;
    private static final Set<String> MILLRACE_ONLY = Set.of("http.listener", "log.flush.policy",
            "listeners", "controller.quorum.voters");

    private ReferenceKafka() {
    }

    static boolean enabled() {
        return "kafka".equalsIgnoreCase(System.getProperty("millrace.it.broker", "millrace"));
    }

    /** Writes server.properties beside the data dir, formats storage once, returns the start command. */
    static List<String> command(Map<String, String> overrides, Path dataDir, int kafkaPort, int raftPort,
                                List<String> jvmOptions) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("listeners", "PLAINTEXT://127.0.0.1:" + kafkaPort + ",CONTROLLER://127.0.0.1:" + raftPort);
        config.put("controller.listener.names", "CONTROLLER");
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("controller.quorum.voters", overrides.get("node.id") + "@127.0.0.1:" + raftPort);
        config.put("offsets.topic.replication.factor", "1");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("group.initial.rebalance.delay.ms", "0");
        overrides.forEach((key, value) -> {
            if (!MILLRACE_ONLY.contains(key)) {
                config.put(key, value);
            }
        });
        config.computeIfPresent("log.segment.bytes",
                (key, value) -> Long.toString(Math.max(KAFKA_MIN_SEGMENT_BYTES, Long.parseLong(value))));
        Path properties = dataDir.resolveSibling("server.properties");
        try {
            List<String> lines = new ArrayList<>();
            config.forEach((key, value) -> lines.add(key + "=" + value));
            Files.write(properties, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!Files.exists(dataDir.resolve("meta.properties"))) {
            Clients.kafkaTool("kafka.tools.StorageTool", Duration.ofSeconds(120), null,
                    "format", "-t", Uuid.randomUuid().toString(), "-c", properties.toString()).assertSuccess();
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Dlog4j2.configurationFile="
                + TestEnv.srcDir().resolve("resources").resolve("log4j2-reference-kafka.xml"));
        command.add("-cp");
        command.add(TestEnv.toolsClasspath());
        command.add("kafka.Kafka");
        command.add(properties.toString());
        return command;
    }

    /** True once the log shows {@code starts} "Kafka Server started" lines (the log spans restarts). */
    static boolean isReady(Path logFile, int starts) {
        try {
            if (!Files.exists(logFile)) {
                return false;
            }
            long started = new String(Files.readAllBytes(logFile), StandardCharsets.ISO_8859_1)
                    .lines().filter(line -> line.contains(STARTED_LINE)).count();
            return started >= starts;
        } catch (IOException e) {
            return false;
        }
    }
}
