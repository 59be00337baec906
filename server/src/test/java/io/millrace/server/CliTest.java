package io.millrace.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.server.config.ConfigDef;
import io.millrace.server.config.ServerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final AtomicReference<ServerConfig> started = new AtomicReference<>();

    private int run(Map<String, String> environment, String... args) {
        CommandLine commandLine = Cli.commandLine(environment, (config, errors) -> {
            started.set(config);
            return Cli.EXIT_OK;
        });
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void startHandsLayeredConfigToRunner() throws IOException {
        Path file = Files.write(dir.resolve("server.properties"), List.of("num.partitions=3", "node.id=1"));
        int exit = run(Map.of("MILLRACE_NUM_PARTITIONS", "4", "MILLRACE_MIN_INSYNC_REPLICAS", "2"),
                "start", "--config", file.toString(), "--override", "num.partitions=5", "--override", "log.dirs=/x");
        assertThat(exit).isEqualTo(Cli.EXIT_OK);
        ServerConfig config = started.get();
        assertThat(config.get(ConfigDef.NUM_PARTITIONS)).isEqualTo(5);
        assertThat(config.get(ConfigDef.MIN_INSYNC_REPLICAS)).isEqualTo(2);
        assertThat(config.get(ConfigDef.LOG_DIRS)).isEqualTo(Path.of("/x"));
    }

    @Test
    void badConfigurationExitsWithOneLineNamingKeyAndNoStackTrace() {
        int exit = run(Map.of(), "start", "--override", "log.segment.bytes=big");
        assertThat(exit).isEqualTo(Cli.EXIT_CONFIG);
        assertThat(started.get()).isNull();
        assertThat(err.toString()).startsWith("millrace: Invalid value 'big' for configuration key 'log.segment.bytes'")
                .doesNotContain("\tat ").hasLineCount(1);
    }

    @Test
    void unknownKeyExitsNonZeroNamingKey() {
        int exit = run(Map.of("MILLRACE_BOGUS_KEY", "1"), "start");
        assertThat(exit).isEqualTo(Cli.EXIT_CONFIG);
        assertThat(err.toString()).contains("'bogus.key'").contains("MILLRACE_BOGUS_KEY").hasLineCount(1);
    }

    @Test
    void helpListsStartAndExitsZero() {
        assertThat(run(Map.of(), "--help")).isEqualTo(Cli.EXIT_OK);
        assertThat(out.toString()).contains("start").contains("config-docs");
    }

    @Test
    void startHelpExplainsOptionsAndLayering() {
        assertThat(run(Map.of(), "start", "--help")).isEqualTo(Cli.EXIT_OK);
        assertThat(out.toString()).contains("--config").contains("--override").contains("MILLRACE_");
        assertThat(started.get()).isNull();
    }

    @Test
    void versionNamesMillrace() {
        assertThat(run(Map.of(), "--version")).isEqualTo(Cli.EXIT_OK);
        assertThat(out.toString()).startsWith("millrace ");
    }

    @Test
    void configDocsPrintsTheKeyTable() {
        assertThat(run(Map.of(), "config-docs")).isEqualTo(Cli.EXIT_OK);
        assertThat(out.toString()).isEqualTo(ConfigDef.markdownTable());
    }

    @Test
    void noSubcommandPrintsUsageAndFails() {
        assertThat(run(Map.of())).isEqualTo(Cli.EXIT_CONFIG);
        assertThat(err.toString()).contains("Usage: millrace");
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertThat(run(Map.of(), "start", "--bogus")).isEqualTo(Cli.EXIT_CONFIG);
        assertThat(started.get()).isNull();
    }
}
