package io.millrace.it;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One Millrace node running {@code server/target/millrace.jar} as a separate {@code java}
 * process, for end-to-end tests.
 *
 * <p>Each node gets free ports on 127.0.0.1 for Kafka, Raft and HTTP, and a data directory
 * under {@code it/target/it-work/<name>/data}. Everything the process prints is appended to
 * {@link #logFile()}, which survives the test for diagnosis. {@link #restart()} reuses the ports
 * and the data directory, so a restart looks to clients like the same broker coming back.
 *
 * <p>Lifecycle: {@code start} returns a node that answered {@code GET /health/ready} with 200;
 * {@link #stop()} sends SIGTERM and waits; {@link #kill9()} sends SIGKILL; {@link #close()}
 * stops the process if it still runs. A JVM shutdown hook kills nodes a test left running.
 *
 * <p>With {@code -Dit.broker=kafka} the same fixture runs Apache Kafka instead, to check the
 * tests' expectations against the reference implementation ({@link ReferenceKafka}).
 *
 * <p>Not thread-safe: one test thread drives a node.
 */
public final class MillraceNode implements AutoCloseable {

    private static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final Map<String, List<MillraceNode>> BY_NAME = new ConcurrentHashMap<>();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2)).build();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> LIVE.forEach(Process::destroyForcibly), "millrace-node-reaper"));
    }

    private final String name;
    private final int nodeId;
    private final Path jar;
    private final Path dataDir;
    private final Path logFile;
    private final int kafkaPort;
    private final int raftPort;
    private final int httpPort;
    private final Map<String, String> overrides;
    private final List<String> jvmOptions;
    private final Duration readyTimeout;
    private Process process;
    private int starts;

    private MillraceNode(Builder builder, Path workDir, int[] ports) {
        this.name = builder.name;
        this.nodeId = builder.nodeId;
        this.jar = TestEnv.millraceJar();
        this.dataDir = workDir.resolve("data");
        this.logFile = workDir.resolve("node-" + nodeId + ".log");
        this.kafkaPort = ports[0];
        this.raftPort = ports[1];
        this.httpPort = ports[2];
        this.jvmOptions = List.copyOf(builder.jvmOptions);
        this.readyTimeout = builder.readyTimeout;
        Map<String, String> config = new LinkedHashMap<>();
        config.put("node.id", Integer.toString(nodeId));
        config.put("listeners", "PLAINTEXT://127.0.0.1:" + kafkaPort);
        config.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + kafkaPort);
        config.put("controller.quorum.voters", nodeId + "@127.0.0.1:" + raftPort);
        config.put("http.listener", "127.0.0.1:" + httpPort);
        config.put("log.dirs", dataDir.toString());
        config.put("num.partitions", "1");
        config.put("default.replication.factor", "1");
        config.put("auto.create.topics.enable", "true");
        config.putAll(builder.overrides);
        this.overrides = Collections.unmodifiableMap(config);
    }

    /** A single node named after the test class, with default settings. */
    public static MillraceNode start(String name) {
        return builder(name).start();
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Settings for a node; {@link #start()} launches it and waits until it is ready. */
    public static final class Builder {
        private final String name;
        private int nodeId = 1;
        private final Map<String, String> overrides = new LinkedHashMap<>();
        /** With the options bin/millrace start passes, so the durable flusher can use syncfs as it does for users. */
        private final List<String> jvmOptions = new ArrayList<>(List.of("-Xms128m", "-Xmx1g"));

        {
            if (Runtime.version().feature() == 17
                    && java.lang.module.ModuleFinder.ofSystem().find("jdk.incubator.foreign").isPresent()) {
                jvmOptions.addAll(List.of("--add-modules=jdk.incubator.foreign", "--enable-native-access=ALL-UNNAMED"));
            }
        }
        private Duration readyTimeout = DEFAULT_READY_TIMEOUT;

        private Builder(String name) {
            this.name = name;
        }

        public Builder nodeId(int id) {
            this.nodeId = id;
            return this;
        }

        /** A broker setting passed as {@code --override key=value}; replaces a default. */
        public Builder override(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        public Builder jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        public Builder readyTimeout(Duration timeout) {
            this.readyTimeout = timeout;
            return this;
        }

        public MillraceNode start() {
            if (!ReferenceKafka.enabled()) {
                Requirements.requireMillraceJar(TestEnv.millraceJar());
            }
            MillraceNode node = new MillraceNode(this, TestEnv.freshWorkDir(name), freePorts(3));
            BY_NAME.computeIfAbsent(name, k -> new CopyOnWriteArrayList<>()).add(node);
            node.launch();
            return node;
        }
    }

    /** The nodes started in this JVM under {@code name} (tests use their class's simple name). */
    static List<MillraceNode> startedAs(String name) {
        return BY_NAME.getOrDefault(name, List.of());
    }

    /** {@code 127.0.0.1:<kafka port>}, for {@code bootstrap.servers}. */
    public String bootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    public int nodeId() {
        return nodeId;
    }

    public int kafkaPort() {
        return kafkaPort;
    }

    public int raftPort() {
        return raftPort;
    }

    public int httpPort() {
        return httpPort;
    }

    /** The node's {@code log.dirs}: partition directories with their segments live here. */
    public Path dataDir() {
        return dataDir;
    }

    /** Everything the node process printed, over all its starts. */
    public Path logFile() {
        return logFile;
    }

    /** The pid of the current process; fails when the node is not running. */
    public long pid() {
        requireRunning();
        return process.pid();
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Sends SIGTERM, waits for the process to exit and returns its exit code. */
    public int stop() {
        requireRunning();
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                LIVE.remove(process);
                throw new AssertionError("node " + nodeId + " did not exit within " + STOP_TIMEOUT
                        + " of SIGTERM; killed it. Log: " + logFile + "\n" + logTail(40));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        LIVE.remove(process);
        appendToLog("=== stopped with SIGTERM, exit code " + process.exitValue());
        return process.exitValue();
    }

    /** Sends SIGKILL and waits until the process is gone: a crash, with no chance to clean up. */
    public void kill9() {
        requireRunning();
        process.destroyForcibly();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("node " + nodeId + " still alive " + STOP_TIMEOUT + " after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        LIVE.remove(process);
        appendToLog("=== killed with SIGKILL");
    }

    /** Stops the node if it runs (SIGTERM), then starts it again on the same data and ports. */
    public void restart() {
        if (isRunning()) {
            stop();
        }
        launch();
    }

    @Override
    public void close() {
        if (!isRunning()) {
            return;
        }
        try {
            stop();
        } catch (AssertionError e) {
            System.err.println(e.getMessage());
        }
    }

    /** The last {@code lines} lines of the node's log. */
    public String logTail(int lines) {
        try {
            if (!Files.exists(logFile)) {
                return "(no log file " + logFile + ")";
            }
            List<String> all = Files.readAllLines(logFile, StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    @Override
    public String toString() {
        return "MillraceNode[" + name + " node " + nodeId + " kafka=" + bootstrap() + " http=" + httpPort
                + " data=" + dataDir + " log=" + logFile + "]";
    }

    private List<String> command() {
        if (ReferenceKafka.enabled()) {
            return ReferenceKafka.command(overrides, dataDir, kafkaPort, raftPort, jvmOptions);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.add("start");
        overrides.forEach((key, value) -> {
            command.add("--override");
            command.add(key + "=" + value);
        });
        return command;
    }

    private void launch() {
        List<String> command = command();
        starts++;
        appendToLog("=== start #" + starts + " at " + Instant.now() + ": " + String.join(" ", command));
        try {
            Files.createDirectories(dataDir);
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        LIVE.add(process);
        System.out.println("[MillraceNode] started " + this + " pid " + process.pid());
        awaitReady();
    }

    private void awaitReady() {
        try {
            await("node " + nodeId + " ready at http://127.0.0.1:" + httpPort + "/health/ready")
                    .atMost(readyTimeout)
                    .pollDelay(Duration.ofMillis(100))
                    .pollInterval(Duration.ofMillis(250))
                    .until(this::readyOrExited);
        } catch (ConditionTimeoutException e) {
            kill9();
            throw new AssertionError("node " + nodeId + " was not ready within " + readyTimeout
                    + " (killed it). Log: " + logFile + "\n" + logTail(60), e);
        }
    }

    private boolean readyOrExited() {
        if (!process.isAlive()) {
            LIVE.remove(process);
            throw new AssertionError("node " + nodeId + " exited with code " + process.exitValue()
                    + " before it was ready. Log: " + logFile + "\n" + logTail(60));
        }
        if (ReferenceKafka.enabled()) {
            return ReferenceKafka.isReady(logFile, starts);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health/ready"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void requireRunning() {
        if (!isRunning()) {
            throw new IllegalStateException("node " + nodeId + " is not running: " + this);
        }
    }

    private void appendToLog(String line) {
        try {
            Files.createDirectories(logFile.getParent());
            Files.writeString(logFile, line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ports that were free a moment ago; all held open together so they differ. */
    private static int[] freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // Closing a listening socket that was never used cannot lose anything.
                }
            }
        }
    }
}
