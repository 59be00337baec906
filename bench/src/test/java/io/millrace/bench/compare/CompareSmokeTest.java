package io.millrace.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.bench.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bench compare} for a few seconds against the Millrace jar the build just packaged, as a
 * separate process (Kafka's side needs the {@code compare} profile's classpath, so it runs there).
 */
class CompareSmokeTest {

    @TempDir
    Path out;

    @Test
    void runsW1AndW1HOnAMillraceProcessAndWritesTheReport() throws Exception {
        Path jar = Path.of("..", "server", "target", "millrace.jar").toAbsolutePath().normalize();
        assertThat(jar).as("the server module's jar (mvn verify packages it before the bench module)").isRegularFile();
        int base;
        try (ServerSocket socket = new ServerSocket(0)) {
            base = socket.getLocalPort() - 92;
        }
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int code;
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            code = new CommandLine(new CompareCommand()).execute("--no-kafka", "--millrace-jar", jar.toString(),
                    "--millrace-policies", "relaxed", "--rounds", "1", "--workloads", "W1,W1H", "--w1h-rate", "500",
                    "--duration", "3s", "--settle", "0s", "--base-port", Integer.toString(base),
                    "--out", out.toString());
        } finally {
            System.setOut(stdout);
        }
        String output = printed.toString(StandardCharsets.UTF_8);
        assertThat(code).as(output).isZero();
        Object report = Json.parse(Files.readString(out.resolve("compare.json")));
        for (String workload : List.of("W1", "W1H")) {
            Map<?, ?> run = (Map<?, ?>) ((List<?>) Json.path(report, "results", workload, "brokers", "millrace-relaxed",
                    "runs")).get(0);
            assertThat(run.get("ok")).as(output).isEqualTo(true);
            assertThat((Double) run.get("errors")).isZero();
            assertThat((Double) run.get("msg_per_s")).isPositive();
            assertThat((Double) run.get("ready_s")).isPositive();
            assertThat((Double) run.get("rss_peak_mb")).isPositive();
        }
        double w1h = Json.number(report, "results", "W1H", "brokers", "millrace-relaxed", "median", "msg_per_s");
        assertThat(w1h).as("W1H is open loop at 500 msg/s").isBetween(400.0, 600.0);
        assertThat(Files.readString(out.resolve("compare.md"))).contains("## W1:", "## W1H:", "millrace-relaxed (1)");
    }
}
