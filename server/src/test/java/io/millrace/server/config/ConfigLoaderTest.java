package io.millrace.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Path file(String... lines) throws IOException {
        return Files.write(dir.resolve("server.properties"), List.of(lines));
    }

    @Test
    void defaultsApplyWhenNothingIsGiven() {
        ServerConfig config = ConfigLoader.load(null, Map.of(), List.of());
        assertThat(config.get(ConfigDef.NUM_PARTITIONS)).isEqualTo(1);
        assertThat(config.sourceOf(ConfigDef.NUM_PARTITIONS)).isEqualTo("default");
    }

    @Test
    void fileOverridesDefaults() throws IOException {
        ServerConfig config = ConfigLoader.load(file("num.partitions=3"), Map.of(), List.of());
        assertThat(config.get(ConfigDef.NUM_PARTITIONS)).isEqualTo(3);
        assertThat(config.sourceOf(ConfigDef.NUM_PARTITIONS)).startsWith("config file ");
    }

    @Test
    void environmentOverridesFile() throws IOException {
        ServerConfig config = ConfigLoader.load(file("num.partitions=3", "log.dirs=/from/file"),
                Map.of("MILLRACE_NUM_PARTITIONS", "4"), List.of());
        assertThat(config.get(ConfigDef.NUM_PARTITIONS)).isEqualTo(4);
        assertThat(config.get(ConfigDef.LOG_DIRS)).isEqualTo(Path.of("/from/file"));
    }

    @Test
    void overridesOverrideEnvironmentAndLaterOverridesWin() throws IOException {
        ServerConfig config = ConfigLoader.load(file("num.partitions=3"), Map.of("MILLRACE_NUM_PARTITIONS", "4"),
                List.of("num.partitions=5", "num.partitions=6"));
        assertThat(config.get(ConfigDef.NUM_PARTITIONS)).isEqualTo(6);
        assertThat(config.sourceOf(ConfigDef.NUM_PARTITIONS)).isEqualTo("--override");
    }

    @Test
    void environmentVariableNameMapsToKey() {
        ServerConfig config = ConfigLoader.load(null, Map.of("MILLRACE_LOG_DIRS", "/var/lib/millrace",
                "MILLRACE_AUTO_CREATE_TOPICS_ENABLE", "false"), List.of());
        assertThat(config.get(ConfigDef.LOG_DIRS)).isEqualTo(Path.of("/var/lib/millrace"));
        assertThat(config.get(ConfigDef.AUTO_CREATE_TOPICS_ENABLE)).isFalse();
        assertThat(config.sourceOf(ConfigDef.LOG_DIRS)).isEqualTo("environment variable MILLRACE_LOG_DIRS");
    }

    @Test
    void environmentWithoutPrefixAndLauncherVariablesAreIgnored() {
        ServerConfig config = ConfigLoader.load(null,
                Map.of("PATH", "/bin", "NUM_PARTITIONS", "9", "MILLRACE_JVM_OPTS", "-Xmx1g", "MILLRACE_CDS", "off"),
                List.of());
        assertThat(config.get(ConfigDef.NUM_PARTITIONS)).isEqualTo(1);
    }

    @Test
    void overrideValueMayContainEqualsSigns() {
        ServerConfig config = ConfigLoader.load(null, Map.of(), List.of("log.dirs=/data/a=b"));
        assertThat(config.get(ConfigDef.LOG_DIRS)).isEqualTo(Path.of("/data/a=b"));
    }

    @Test
    void valuesAreTrimmedInEveryLayer() throws IOException {
        ServerConfig config = ConfigLoader.load(file("num.partitions = 3   ", "message.max.bytes=100 "),
                Map.of("MILLRACE_MIN_INSYNC_REPLICAS", " 2 "), List.of(" log.segment.bytes = 4096 "));
        assertThat(config.get(ConfigDef.NUM_PARTITIONS)).isEqualTo(3);
        assertThat(config.get(ConfigDef.MESSAGE_MAX_BYTES)).isEqualTo(100);
        assertThat(config.get(ConfigDef.MIN_INSYNC_REPLICAS)).isEqualTo(2);
        assertThat(config.get(ConfigDef.LOG_SEGMENT_BYTES)).isEqualTo(4096);
    }

    @Test
    void fileCommentsAreIgnored() throws IOException {
        ServerConfig config = ConfigLoader.load(file("# a comment", "! another", "", "num.partitions=2"), Map.of(),
                List.of());
        assertThat(config.get(ConfigDef.NUM_PARTITIONS)).isEqualTo(2);
    }

    @Test
    void unknownKeyInFileNamesKeyAndFile() throws IOException {
        Path file = file("process.roles=broker,controller");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'process.roles'")
                .hasMessageContaining(file.toString());
    }

    @Test
    void unknownEnvironmentVariableNamesKeyAndVariable() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("MILLRACE_LOG_DIR", "/x"), List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'log.dir'")
                .hasMessageContaining("MILLRACE_LOG_DIR");
    }

    @Test
    void unknownOverrideNamesKey() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), List.of("num.partition=3")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'num.partition'")
                .hasMessageContaining("--override");
    }

    @Test
    void badValueNamesKeyValueAndSource() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("MILLRACE_NUM_PARTITIONS", "many"), List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'num.partitions'")
                .hasMessageContaining("'many'")
                .hasMessageContaining("MILLRACE_NUM_PARTITIONS")
                .hasMessageContaining("must be an integer");
    }

    @Test
    void badValueOverriddenByAGoodOneIsAccepted() throws IOException {
        ServerConfig config = ConfigLoader.load(file("num.partitions=many"), Map.of(), List.of("num.partitions=2"));
        assertThat(config.get(ConfigDef.NUM_PARTITIONS)).isEqualTo(2);
    }

    @Test
    void overrideWithoutEqualsSignIsRejected() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), List.of("num.partitions")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'num.partitions'")
                .hasMessageContaining("key=value");
    }

    @Test
    void missingConfigFileIsNamed() {
        Path missing = dir.resolve("nope.properties");
        assertThatThrownBy(() -> ConfigLoader.load(missing, Map.of(), List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("NoSuchFileException");
    }
}
