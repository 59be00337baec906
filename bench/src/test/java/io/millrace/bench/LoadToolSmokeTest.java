package io.millrace.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.broker.Broker;
import io.millrace.protocol.Time;
import io.millrace.server.BrokerConfigs;
import io.millrace.server.config.ServerConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs the load tool's commands for a few seconds each against a node started in this JVM, the
 * way a user runs them: through the command line, with the output and the JSON file checked.
 */
class LoadToolSmokeTest {

    @TempDir
    static Path dir;

    private static Broker broker;
    private static String bootstrap;

    @BeforeAll
    static void startNode() throws Exception {
        int kafkaPort = freePort();
        ServerConfig config = ServerConfig.fromProperties(Map.of(
                "log.dirs", dir.resolve("data").toString(),
                "listeners", "PLAINTEXT://localhost:" + kafkaPort,
                "controller.quorum.voters", "1@localhost:" + freePort(),
                "http.listener", "localhost:" + freePort(),
                "offsets.topic.num.partitions", "1",
                "group.initial.rebalance.delay.ms", "0"));
        broker = Broker.start(BrokerConfigs.from(config), Time.SYSTEM, new PrometheusRegistry());
        broker.readyFuture().get(60, TimeUnit.SECONDS);
        bootstrap = "localhost:" + kafkaPort;
    }

    @AfterAll
    static void stopNode() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void produceThenConsumeEverythingWithoutErrors() throws IOException {
        Path json = dir.resolve("produce.json");
        Run closed = run("produce", "--topic", "smoke", "--partitions", "3", "--records", "20000", "--producers", "2",
                "--record-size", "100", "--keys", "fixed:10", "--linger-ms", "5", "--json", json.toString());
        assertThat(closed.exitCode()).as(closed.output()).isZero();
        assertThat(closed.summary().meter("produce").records()).isEqualTo(20_000);
        assertThat(closed.summary().errorCount()).isZero();
        assertThat(Files.readString(json)).contains("\"errors_total\": 0", "\"records\": 20000", "\"series\"");

        Run open = run("produce", "--topic", "smoke", "--rate", "2000", "--duration", "2s", "--warmup", "500ms",
                "--keys", "random", "--record-size", "100", "--acks", "1", "--prime",
                "--broker-pid", Long.toString(ProcessHandle.current().pid()));
        assertThat(open.exitCode()).as(open.output()).isZero();
        Summary.MeterSummary produced = open.summary().meter("produce");
        assertThat(produced.records()).as(open.output()).isBetween(2_000L, 4_000L);
        assertThat(produced.latency().samples()).isEqualTo(produced.records());
        assertThat(open.output()).contains("Primed 3 partition(s) of smoke", "(warm-up)", "Summary of produce", "p99.9",
                "CPU after the warm-up: load tool");
        // The broker runs in this JVM, so --broker-pid reads this process's CPU from /proc.
        assertThat(open.summary().measuredCpu().loadToolSeconds()).isPositive();
        assertThat(open.summary().measuredCpu().brokerSeconds()).isPositive();

        Run consume = run("consume", "--topic", "smoke", "--to-end", "--consumers", "2");
        assertThat(consume.exitCode()).as(consume.output()).isZero();
        assertThat(consume.summary().meter("consume").records()).isEqualTo(20_000 + 3 + produced.totalRecords());
        assertThat(consume.summary().errorCount()).isZero();

        Run group = run("consume", "--topic", "smoke", "--group", "smoke-group", "--consumers", "2", "--records", "5000");
        assertThat(group.exitCode()).as(group.output()).isZero();
        assertThat(group.summary().meter("consume").records()).isGreaterThanOrEqualTo(5_000);
    }

    @Test
    void endToEndReceivesEveryAcknowledgedRecord() {
        Run e2e = run("e2e", "--topic", "smoke-e2e", "--partitions", "2", "--rate", "1000", "--duration", "2s",
                "--record-size", "64");
        assertThat(e2e.exitCode()).as(e2e.output()).isZero();
        Summary.MeterSummary received = e2e.summary().meter("e2e");
        assertThat(received.records()).isEqualTo(e2e.summary().meter("produce").records()).isGreaterThan(1_000);
        assertThat(received.latency().p50Ms()).isPositive();
        assertThat(e2e.summary().errorCount()).isZero();
    }

    @Test
    void contradictingOptionsAreAUsageError() {
        Run run = run("produce", "--duration", "5s", "--records", "10");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errors()).contains("give --duration or --records, not both");
    }

    private static Run run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add(1, "--bootstrap");
        all.add(2, bootstrap);
        CommandLine commandLine = BenchMain.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(all.toArray(String[]::new));
        BenchCommand command = commandLine.getSubcommands().get(args[0]).getCommand();
        return new Run(exitCode, out.toString(), err.toString(), command.summary());
    }

    private record Run(int exitCode, String output, String errors, Summary summary) {
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
