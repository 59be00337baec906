package io.millrace.bench.compare;

import io.millrace.bench.ProcessCpu;
import io.millrace.storage.LogManager;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One broker under test, started as a separate {@code java} process on an empty data directory:
 * Apache Kafka (KRaft, combined broker and controller) or a Millrace node with a given
 * {@code log.flush.policy}. Records how long the process took from its start to being ready,
 * and reads its peak RSS and CPU time from {@code /proc}.
 *
 * <p>Ready means: Kafka logged "Kafka Server started" (it has no health endpoint); Millrace
 * answered {@code GET /health/ready} with 200. Both are polled every 10 ms.
 */
final class BrokerProcess implements AutoCloseable {

    static final String KAFKA_STARTED_LINE = "Kafka Server started";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "compare-broker-reaper"));
    }

    /** How to start a broker: what it is, where its files go, which ports it binds. */
    record Spec(String name, String flushPolicy, Path dataDir, Path logFile, int kafkaPort, int controllerPort,
                int httpPort, List<String> jvmOptions, Map<String, String> millraceConfig) {

        boolean isKafka() {
            return flushPolicy == null;
        }

        String bootstrap() {
            return "127.0.0.1:" + kafkaPort;
        }
    }

    private final Spec spec;
    private final Process process;
    private final long startNanos;
    private final double readySeconds;
    private final double formatSeconds;

    private BrokerProcess(Spec spec, Process process, long startNanos, double readySeconds, double formatSeconds) {
        this.spec = spec;
        this.process = process;
        this.startNanos = startNanos;
        this.readySeconds = readySeconds;
        this.formatSeconds = formatSeconds;
    }

    /** Starts Apache Kafka from {@code classpath} (kafka_2.13 and its dependencies), after formatting storage. */
    static BrokerProcess startKafka(Spec spec, String classpath) throws IOException, InterruptedException {
        Files.createDirectories(spec.dataDir());
        Path dir = spec.dataDir().getParent();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", "1");
        config.put("listeners", "PLAINTEXT://127.0.0.1:" + spec.kafkaPort() + ",CONTROLLER://127.0.0.1:"
                + spec.controllerPort());
        config.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + spec.kafkaPort());
        config.put("controller.listener.names", "CONTROLLER");
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("controller.quorum.voters", "1@127.0.0.1:" + spec.controllerPort());
        config.put("log.dirs", spec.dataDir().toString());
        config.put("offsets.topic.replication.factor", "1");
        Path properties = dir.resolve("server.properties");
        List<String> lines = new ArrayList<>();
        config.forEach((key, value) -> lines.add(key + "=" + value));
        Files.write(properties, lines, StandardCharsets.UTF_8);
        Path log4j = dir.resolve("log4j2-kafka.xml");
        Files.writeString(log4j, KAFKA_LOG4J);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long formatStart = System.nanoTime();
        List<String> format = List.of(java, "-Dlog4j2.configurationFile=" + log4j, "-cp", classpath,
                "kafka.tools.StorageTool", "format", "-t", org.apache.kafka.common.Uuid.randomUuid().toString(),
                "-c", properties.toString());
        Process formatter = launch(format, spec.logFile());
        if (!formatter.waitFor(120, TimeUnit.SECONDS) || formatter.exitValue() != 0) {
            formatter.destroyForcibly();
            throw new IllegalStateException("kafka storage format failed; see " + spec.logFile());
        }
        double formatSeconds = (System.nanoTime() - formatStart) / 1e9;

        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(spec.jvmOptions());
        command.add("-Dlog4j2.configurationFile=" + log4j);
        command.add("-cp");
        command.add(classpath);
        command.add("kafka.Kafka");
        command.add(properties.toString());
        return startAndAwait(spec, command, formatSeconds);
    }

    /** Starts {@code millrace.jar start} with the spec's ports, data directory and flush policy. */
    static BrokerProcess startMillrace(Spec spec, Path jar) throws IOException, InterruptedException {
        Files.createDirectories(spec.dataDir());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(LogManager.syncfsJvmOptions()); // as bin/millrace start passes them
        command.addAll(spec.jvmOptions());
        command.add("-jar");
        command.add(jar.toString());
        command.add("start");
        Map<String, String> config = new LinkedHashMap<>();
        config.put("node.id", "1");
        config.put("listeners", "PLAINTEXT://127.0.0.1:" + spec.kafkaPort());
        config.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + spec.kafkaPort());
        config.put("controller.quorum.voters", "1@127.0.0.1:" + spec.controllerPort());
        config.put("http.listener", "127.0.0.1:" + spec.httpPort());
        config.put("log.dirs", spec.dataDir().toString());
        config.put("log.flush.policy", spec.flushPolicy());
        config.putAll(spec.millraceConfig());
        config.forEach((key, value) -> {
            command.add("--override");
            command.add(key + "=" + value);
        });
        return startAndAwait(spec, command, 0);
    }

    private static BrokerProcess startAndAwait(Spec spec, List<String> command, double formatSeconds)
            throws IOException, InterruptedException {
        requirePortsFree(spec);
        Files.writeString(spec.logFile(), "=== " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        long start = System.nanoTime();
        Process process = launch(command, spec.logFile());
        LIVE.add(process);
        long deadline = start + READY_TIMEOUT.toNanos();
        long logOffset = Files.size(spec.logFile());
        while (true) {
            if (!process.isAlive()) {
                LIVE.remove(process);
                throw new IllegalStateException(spec.name() + " exited with code " + process.exitValue()
                        + " before it was ready; see " + spec.logFile());
            }
            boolean ready = spec.isKafka() ? logShows(spec.logFile(), logOffset, KAFKA_STARTED_LINE)
                    : healthReady(spec.httpPort());
            long now = System.nanoTime();
            if (ready) {
                return new BrokerProcess(spec, process, start, (now - start) / 1e9, formatSeconds);
            }
            if (now - deadline > 0) {
                process.destroyForcibly();
                LIVE.remove(process);
                throw new IllegalStateException(spec.name() + " was not ready within " + READY_TIMEOUT.toSeconds()
                        + " s; see " + spec.logFile());
            }
            process.waitFor(10, TimeUnit.MILLISECONDS); // wakes at once if the broker exits
        }
    }

    private static Process launch(List<String> command, Path logFile) throws IOException {
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
    }

    private static boolean logShows(Path logFile, long from, String line) {
        try {
            byte[] bytes = Files.readAllBytes(logFile);
            int start = (int) Math.min(from, bytes.length);
            return new String(bytes, start, bytes.length - start, StandardCharsets.ISO_8859_1).contains(line);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean healthReady(int httpPort) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health/ready"))
                .timeout(Duration.ofSeconds(1)).GET().build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * A broker that cannot bind would not start, so its ports are checked first. The previous broker
     * has exited by now ({@link #close()} waits for it), and this check binds with SO_REUSEADDR, as
     * Java server sockets do on Linux, so connections left in TIME_WAIT do not count: a port it finds
     * taken belongs to another program, and waiting would not free it.
     */
    private static void requirePortsFree(Spec spec) {
        for (int port : new int[] {spec.kafkaPort(), spec.controllerPort(), spec.httpPort()}) {
            if (!isFree(port)) {
                throw new IllegalStateException("port " + port + " on 127.0.0.1 is in use; pick --base-port");
            }
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    Spec spec() {
        return spec;
    }

    long pid() {
        return process.pid();
    }

    double readySeconds() {
        return readySeconds;
    }

    double formatSeconds() {
        return formatSeconds;
    }

    double uptimeSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Peak resident set size (VmHWM), in bytes; -1 when /proc cannot be read. */
    long peakRssBytes() {
        return statusKb("VmHWM:") * 1024;
    }

    /** Current resident set size (VmRSS), in bytes; -1 when /proc cannot be read. */
    long rssBytes() {
        return statusKb("VmRSS:") * 1024;
    }

    private long statusKb(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or the process is gone.
        }
        return -1;
    }

    /** User plus system CPU time of the process so far, in seconds; NaN when /proc cannot be read. */
    double cpuSeconds() {
        return ProcessCpu.ofPid(pid());
    }

    /** SIGTERM, then SIGKILL if it has not exited within a minute. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        LIVE.remove(process);
    }

    /** Kafka's own INFO lines from the server classes, so the log shows "Kafka Server started". */
    private static final String KAFKA_LOG4J = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Configuration status="WARN">
              <Appenders>
                <Console name="stdout" target="SYSTEM_OUT">
                  <PatternLayout pattern="[%d] %p %m (%c)%n"/>
                </Console>
              </Appenders>
              <Loggers>
                <Logger name="kafka.server" level="INFO"/>
                <Logger name="org.apache.kafka.server" level="INFO"/>
                <Root level="WARN">
                  <AppenderRef ref="stdout"/>
                </Root>
              </Loggers>
            </Configuration>
            """;

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
