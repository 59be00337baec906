package io.millrace.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerConfigTest {

    private static ServerConfig config(String... keyValues) {
        Map<String, String> properties = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put(keyValues[i], keyValues[i + 1]);
        }
        return ServerConfig.fromProperties(properties);
    }

    @Test
    void defaultsMatchKafkaAndTheDesignPorts() {
        ServerConfig config = config();
        assertThat(config.get(ConfigDef.NODE_ID)).isEqualTo(1);
        assertThat(config.get(ConfigDef.LISTENERS)).containsExactly(new ListenerAddress("PLAINTEXT", "localhost", 9092));
        assertThat(config.advertisedListeners()).containsExactly(new ListenerAddress("PLAINTEXT", "localhost", 9092));
        assertThat(config.get(ConfigDef.CONTROLLER_QUORUM_VOTERS))
                .containsExactly(Map.entry(1, InetSocketAddress.createUnresolved("localhost", 9093)));
        assertThat(config.raftAddress()).isEqualTo(InetSocketAddress.createUnresolved("localhost", 9093));
        assertThat(config.get(ConfigDef.HTTP_LISTENER)).isEqualTo(InetSocketAddress.createUnresolved("localhost", 8090));
        assertThat(config.get(ConfigDef.LOG_DIRS)).isEqualTo(Path.of("./data"));
        assertThat(config.get(ConfigDef.NUM_PARTITIONS)).isEqualTo(1);
        assertThat(config.get(ConfigDef.DEFAULT_REPLICATION_FACTOR)).isEqualTo((short) 1);
        assertThat(config.get(ConfigDef.AUTO_CREATE_TOPICS_ENABLE)).isTrue();
        assertThat(config.get(ConfigDef.LOG_SEGMENT_BYTES)).isEqualTo(1_073_741_824);
        assertThat(config.logRollMs()).isEqualTo(604_800_000L);
        assertThat(config.logRetentionMs()).isEqualTo(604_800_000L);
        assertThat(config.get(ConfigDef.LOG_RETENTION_BYTES)).isEqualTo(-1L);
        assertThat(config.get(ConfigDef.MESSAGE_MAX_BYTES)).isEqualTo(1_048_588);
        assertThat(config.get(ConfigDef.LOG_FLUSH_POLICY)).isEqualTo("durable");
        assertThat(config.get(ConfigDef.LOG_FLUSH_INTERVAL_MS)).isEqualTo(1000L);
        assertThat(config.get(ConfigDef.LOG_PAGE_CACHE_RETAIN_BYTES)).isEqualTo(-1L);
        assertThat(config.get(ConfigDef.MIN_INSYNC_REPLICAS)).isEqualTo(1);
        assertThat(config.get(ConfigDef.SOCKET_REQUEST_MAX_BYTES)).isEqualTo(104_857_600);
    }

    @Test
    void everyKeyTakesAGivenValue() {
        ServerConfig config = config("node.id", "2", "listeners", "PLAINTEXT://0.0.0.0:19092",
                "advertised.listeners", "PLAINTEXT://broker2.example:19092",
                "controller.quorum.voters", "1@a:9093,2@b:9093", "http.listener", ":18090", "log.dirs", "/srv/m",
                "num.partitions", "6", "default.replication.factor", "3", "auto.create.topics.enable", "false",
                "log.segment.bytes", "1024", "log.roll.ms", "5000", "log.retention.ms", "60000",
                "log.retention.bytes", "1000000", "message.max.bytes", "2000", "log.flush.policy", "relaxed",
                "log.flush.interval.ms", "250", "log.page.cache.retain.bytes", "268435456", "min.insync.replicas", "2",
                "socket.request.max.bytes", "4096");
        assertThat(config.get(ConfigDef.NODE_ID)).isEqualTo(2);
        assertThat(config.get(ConfigDef.LISTENERS)).containsExactly(new ListenerAddress("PLAINTEXT", "0.0.0.0", 19092));
        assertThat(config.advertisedListeners())
                .containsExactly(new ListenerAddress("PLAINTEXT", "broker2.example", 19092));
        assertThat(config.raftAddress()).isEqualTo(InetSocketAddress.createUnresolved("b", 9093));
        assertThat(config.get(ConfigDef.HTTP_LISTENER).getPort()).isEqualTo(18090);
        assertThat(config.get(ConfigDef.LOG_DIRS)).isEqualTo(Path.of("/srv/m"));
        assertThat(config.get(ConfigDef.NUM_PARTITIONS)).isEqualTo(6);
        assertThat(config.get(ConfigDef.DEFAULT_REPLICATION_FACTOR)).isEqualTo((short) 3);
        assertThat(config.get(ConfigDef.AUTO_CREATE_TOPICS_ENABLE)).isFalse();
        assertThat(config.get(ConfigDef.LOG_SEGMENT_BYTES)).isEqualTo(1024);
        assertThat(config.logRollMs()).isEqualTo(5000L);
        assertThat(config.logRetentionMs()).isEqualTo(60_000L);
        assertThat(config.get(ConfigDef.LOG_RETENTION_BYTES)).isEqualTo(1_000_000L);
        assertThat(config.get(ConfigDef.MESSAGE_MAX_BYTES)).isEqualTo(2000);
        assertThat(config.get(ConfigDef.LOG_FLUSH_POLICY)).isEqualTo("relaxed");
        assertThat(config.get(ConfigDef.LOG_FLUSH_INTERVAL_MS)).isEqualTo(250L);
        assertThat(config.get(ConfigDef.LOG_PAGE_CACHE_RETAIN_BYTES)).isEqualTo(268_435_456L);
        assertThat(config.get(ConfigDef.MIN_INSYNC_REPLICAS)).isEqualTo(2);
        assertThat(config.get(ConfigDef.SOCKET_REQUEST_MAX_BYTES)).isEqualTo(4096);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "node.id; -1", "listeners; localhost:9092", "advertised.listeners; PLAINTEXT://h", "controller.quorum.voters; 1",
            "http.listener; localhost", "log.dirs; '/a,/b'", "num.partitions; 0", "default.replication.factor; 0",
            "auto.create.topics.enable; yes", "log.segment.bytes; 13", "log.roll.ms; 0", "log.roll.hours; 0",
            "log.retention.ms; -2", "log.retention.minutes; ten", "log.retention.hours; 1.5",
            "log.retention.bytes; -2", "message.max.bytes; -1", "log.flush.policy; never", "log.flush.interval.ms; 0",
            "log.page.cache.retain.bytes; -2", "min.insync.replicas; 0", "socket.request.max.bytes; 0"})
    void badValueOfEveryKeyIsRejectedNamingKeyAndValue(String key, String value) {
        assertThatThrownBy(() -> config(key, value))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("Invalid value '" + value + "' for configuration key '" + key + "'");
    }

    @Test
    void advertisedListenersDefaultReplacesWildcardHostsWithLocalhost() {
        ServerConfig config = config("listeners", "PLAINTEXT://0.0.0.0:9092,INTERNAL://:9094,EXTERNAL://10.1.2.3:9095");
        assertThat(config.advertisedListeners()).containsExactly(new ListenerAddress("PLAINTEXT", "localhost", 9092),
                new ListenerAddress("INTERNAL", "localhost", 9094), new ListenerAddress("EXTERNAL", "10.1.2.3", 9095));
        assertThat(config.isGiven(ConfigDef.ADVERTISED_LISTENERS)).isFalse();
    }

    @Test
    void advertisedListenersMustNotBeWildcards() {
        assertThatThrownBy(() -> config("advertised.listeners", "PLAINTEXT://0.0.0.0:9092"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'advertised.listeners'")
                .hasMessageContaining("PLAINTEXT://0.0.0.0:9092");
    }

    @Test
    void advertisedListenersMustNameConfiguredListeners() {
        assertThatThrownBy(() -> config("advertised.listeners", "EXTERNAL://public.example:9092"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'advertised.listeners'")
                .hasMessageContaining("EXTERNAL");
    }

    @Test
    void nodeIdMustBeAVoter() {
        assertThatThrownBy(() -> config("node.id", "2"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("node.id 2")
                .hasMessageContaining("controller.quorum.voters [1]");
    }

    @Test
    void retentionFollowsKafkaPrecedenceMsThenMinutesThenHours() {
        assertThat(config("log.retention.hours", "2").logRetentionMs()).isEqualTo(7_200_000L);
        assertThat(config("log.retention.hours", "2", "log.retention.minutes", "3").logRetentionMs())
                .isEqualTo(180_000L);
        assertThat(config("log.retention.hours", "2", "log.retention.minutes", "3", "log.retention.ms", "42")
                .logRetentionMs()).isEqualTo(42L);
    }

    @Test
    void retentionMinusOneMeansForeverInEveryUnit() {
        assertThat(config("log.retention.hours", "-1").logRetentionMs()).isEqualTo(-1L);
        assertThat(config("log.retention.minutes", "-1").logRetentionMs()).isEqualTo(-1L);
        assertThat(config("log.retention.ms", "-1").logRetentionMs()).isEqualTo(-1L);
    }

    @Test
    void rollMsWinsOverRollHours() {
        assertThat(config("log.roll.hours", "1").logRollMs()).isEqualTo(3_600_000L);
        assertThat(config("log.roll.hours", "1", "log.roll.ms", "10").logRollMs()).isEqualTo(10L);
    }

    @Test
    void derivedKeysWithoutValueAreNotReadDirectly() {
        ServerConfig config = config();
        assertThat(config.find(ConfigDef.LOG_RETENTION_MS)).isEmpty();
        assertThatThrownBy(() -> config.get(ConfigDef.LOG_RETENTION_MS)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void listenerNamesAreCaseInsensitiveAcrossKeys() {
        ServerConfig config = config("listeners", "plaintext://:9092", "advertised.listeners", "PlainText://h:9092");
        assertThat(config.advertisedListeners()).containsExactly(new ListenerAddress("PLAINTEXT", "h", 9092));
        assertThat(List.of(config.get(ConfigDef.LISTENERS).get(0).name())).containsExactly("PLAINTEXT");
    }
}
