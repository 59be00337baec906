package io.millrace.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.MillraceException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicConfigsTest {
    @Test
    void acceptsValidValuesOfEveryType() {
        TopicConfigs.validate(Map.of("retention.ms", "-1", "cleanup.policy", "compact,delete",
                "min.cleanable.dirty.ratio", "0.1", "preallocate", "TRUE", "compression.type", "zstd",
                "segment.bytes", "1048576"));
        TopicConfigs.validate(Map.of("cleanup.policy", ""));
    }

    @Test
    void rejectsUnknownKeyNamingIt() {
        assertThatThrownBy(() -> TopicConfigs.validate(Map.of("retention.mss", "1")))
                .isInstanceOfSatisfying(MillraceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG))
                .hasMessage("Unknown topic config name: retention.mss");
    }

    @Test
    void rejectsBadValuesNamingKeyAndValue() {
        assertThatThrownBy(() -> TopicConfigs.validate(Map.of("retention.ms", "abc")))
                .hasMessage("Invalid value abc for configuration retention.ms: Not a number of type LONG");
        assertThatThrownBy(() -> TopicConfigs.validate(Map.of("min.insync.replicas", "0")))
                .hasMessage("Invalid value 0 for configuration min.insync.replicas: Value must be at least 1");
        assertThatThrownBy(() -> TopicConfigs.validate(Map.of("cleanup.policy", "shred")))
                .hasMessageContaining("Invalid value shred for configuration cleanup.policy");
        assertThatThrownBy(() -> TopicConfigs.validate(Map.of("segment.bytes", "1000")))
                .hasMessageContaining("segment.bytes");
        assertThatThrownBy(() -> TopicConfigs.validate(Map.of("unclean.leader.election.enable", "yes")))
                .hasMessageContaining("unclean.leader.election.enable");
        assertThatThrownBy(() -> TopicConfigs.validate(Map.of("min.cleanable.dirty.ratio", "1.5")))
                .hasMessageContaining("min.cleanable.dirty.ratio");
    }

    @Test
    void describeReportsEffectiveValueAndSource() {
        List<ConfigEntry> entries = TopicConfigs.describe(Map.of("retention.ms", "1000"),
                Map.of("segment.bytes", "2097152"));
        assertThat(entries).extracting(ConfigEntry::name).containsAll(TopicConfigs.names())
                .doesNotContain("remote.storage.enable", "message.timestamp.difference.max.ms");
        assertThat(find(entries, "retention.ms")).isEqualTo(new ConfigEntry("retention.ms", "1000",
                ConfigSource.DYNAMIC_TOPIC_CONFIG, false, false, ConfigType.LONG, find(entries, "retention.ms").documentation()));
        assertThat(find(entries, "segment.bytes").source()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
        assertThat(find(entries, "segment.bytes").value()).isEqualTo("2097152");
        assertThat(find(entries, "cleanup.policy").source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
        assertThat(find(entries, "cleanup.policy").value()).isEqualTo("delete");
        assertThat(find(entries, "cleanup.policy").type()).isEqualTo(ConfigType.LIST);
        assertThat(entries).allSatisfy(e -> assertThat(e.documentation()).isNotBlank());
    }

    private static ConfigEntry find(List<ConfigEntry> entries, String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }
}
