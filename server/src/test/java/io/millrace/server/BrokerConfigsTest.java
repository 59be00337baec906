package io.millrace.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.broker.BrokerConfig;
import io.millrace.server.config.ServerConfig;
import io.millrace.storage.FlushPolicy;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerConfigsTest {

    @Test
    void defaultsBecomeTheBrokerConfigOfASingleLocalNode() {
        BrokerConfig config = BrokerConfigs.from(ServerConfig.fromProperties(Map.of()));
        assertThat(config.nodeId()).isEqualTo(1);
        assertThat(config.listeners()).containsExactly(new BrokerConfig.Endpoint("PLAINTEXT", "localhost", 9092));
        assertThat(config.advertisedListeners()).containsExactly(new BrokerConfig.Endpoint("PLAINTEXT", "localhost", 9092));
        assertThat(config.controllerQuorumVoters())
                .containsExactly(Map.entry(1, InetSocketAddress.createUnresolved("localhost", 9093)));
        assertThat(config.httpListener()).isEqualTo(InetSocketAddress.createUnresolved("localhost", 8090));
        assertThat(config.logDir()).isEqualTo(Path.of("./data"));
        assertThat(config.numPartitions()).isEqualTo(1);
        assertThat(config.defaultReplicationFactor()).isEqualTo((short) 1);
        assertThat(config.autoCreateTopicsEnable()).isTrue();
        assertThat(config.logSegmentBytes()).isEqualTo(1_073_741_824);
        assertThat(config.logRollMs()).isEqualTo(604_800_000L);
        assertThat(config.logRetentionMs()).isEqualTo(604_800_000L);
        assertThat(config.logRetentionBytes()).isEqualTo(-1L);
        assertThat(config.messageMaxBytes()).isEqualTo(1_048_588);
        assertThat(config.flushPolicy()).isEqualTo(FlushPolicy.DURABLE);
        assertThat(config.flushIntervalMs()).isEqualTo(1000L);
        assertThat(config.minInsyncReplicas()).isEqualTo(1);
        assertThat(config.socketRequestMaxBytes()).isEqualTo(104_857_600);
    }

    @Test
    void derivedAndGivenValuesReachTheBroker() {
        BrokerConfig config = BrokerConfigs.from(ServerConfig.fromProperties(Map.of(
                "node.id", "3", "controller.quorum.voters", "1@a:9093,2@b:9093,3@c:9093",
                "listeners", "PLAINTEXT://0.0.0.0:9092", "log.retention.minutes", "5", "log.roll.hours", "1",
                "log.flush.policy", "relaxed")));
        assertThat(config.nodeId()).isEqualTo(3);
        assertThat(config.listeners()).containsExactly(new BrokerConfig.Endpoint("PLAINTEXT", "0.0.0.0", 9092));
        assertThat(config.advertisedListeners()).containsExactly(new BrokerConfig.Endpoint("PLAINTEXT", "localhost", 9092));
        assertThat(config.controllerQuorumVoters()).containsOnlyKeys(1, 2, 3);
        assertThat(config.logRetentionMs()).isEqualTo(300_000L);
        assertThat(config.logRollMs()).isEqualTo(3_600_000L);
        assertThat(config.flushPolicy()).isEqualTo(FlushPolicy.RELAXED);
    }
}
