package io.millrace.broker.replica;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.broker.BrokerConfig;
import io.millrace.broker.group.GroupConfig;
import io.millrace.metadata.TopicInfo;
import io.millrace.storage.FlushPolicy;
import io.millrace.storage.LogConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogConfigsTest {

    private static final BrokerConfig BROKER = broker();

    private static BrokerConfig broker() {
        BrokerConfig.Endpoint endpoint = new BrokerConfig.Endpoint("PLAINTEXT", "localhost", 0);
        return new BrokerConfig(1, List.of(endpoint), List.of(endpoint),
                Map.of(1, InetSocketAddress.createUnresolved("localhost", 9093)),
                InetSocketAddress.createUnresolved("localhost", 8090), Path.of("unused"), 1, (short) 1, true,
                1 << 20, 3_600_000, 7_000, -1, 1 << 20, FlushPolicy.RELAXED, 1000, -1, 1, 1 << 20,
                GroupConfig.defaults());
    }

    private static LogConfig effective(Map<String, String> configs) {
        return LogConfigs.effective(new TopicInfo("t", UUID.randomUUID(), List.of(), configs), BROKER);
    }

    @Test
    void defaultPolicyIsDeleteWithKafkasCompactionDefaults() {
        LogConfig config = effective(Map.of());
        assertThat(config.delete()).isTrue();
        assertThat(config.compact()).isFalse();
        assertThat(config.retentionMs()).isEqualTo(7_000);
        assertThat(config.deleteRetentionMs()).isEqualTo(86_400_000L);
        assertThat(config.minCompactionLagMs()).isZero();
        assertThat(config.maxCompactionLagMs()).isEqualTo(Long.MAX_VALUE);
        assertThat(config.minCleanableDirtyRatio()).isEqualTo(0.5);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"compact;true;false", "delete;false;true", "'compact,delete';true;true",
        "' Delete , COMPACT ';true;true", "'';false;false"})
    void cleanupPolicyListMapsToCompactAndDelete(String policy, boolean compact, boolean delete) {
        LogConfig config = effective(Map.of("cleanup.policy", policy));
        assertThat(config.compact()).isEqualTo(compact);
        assertThat(config.delete()).isEqualTo(delete);
    }

    @Test
    void compactionSettingsComeFromTopicConfigs() {
        LogConfig config = effective(Map.of("cleanup.policy", "compact", "delete.retention.ms", "1000",
                "min.compaction.lag.ms", "2000", "max.compaction.lag.ms", "3000", "min.cleanable.dirty.ratio", "0.25"));
        assertThat(config.deleteRetentionMs()).isEqualTo(1000);
        assertThat(config.minCompactionLagMs()).isEqualTo(2000);
        assertThat(config.maxCompactionLagMs()).isEqualTo(3000);
        assertThat(config.minCleanableDirtyRatio()).isEqualTo(0.25);
    }
}
