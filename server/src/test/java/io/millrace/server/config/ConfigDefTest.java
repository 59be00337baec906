package io.millrace.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigDefTest {

    @Test
    void everyDefaultPassesItsOwnParser() {
        for (ConfigKey<?> key : ConfigDef.keys()) {
            if (key.hasDefault()) {
                assertThatCode(() -> key.parser().parse(key.defaultValue())).as(key.name()).doesNotThrowAnyException();
            }
        }
    }

    @Test
    void everyKeyIsDocumented() {
        assertThat(ConfigDef.keys()).allSatisfy(key -> assertThat(key.doc()).as(key.name()).isNotBlank());
    }

    @Test
    void markdownTableListsEveryKeyOnce() {
        String table = ConfigDef.markdownTable();
        for (ConfigKey<?> key : ConfigDef.keys()) {
            assertThat(table).as(key.name()).containsOnlyOnce("| `" + key.name() + "` |");
        }
        assertThat(table.lines().count()).isEqualTo(ConfigDef.keys().size() + 2L);
    }

    @Test
    void markdownTableEscapesPipesInsideCells() {
        String flushRow = ConfigDef.markdownTable().lines()
                .filter(line -> line.startsWith("| `log.flush.policy`")).findFirst().orElseThrow();
        assertThat(flushRow).contains("durable\\|relaxed");
    }

    @Test
    void tableHoldsTheKafkaNamedKeys() {
        List<String> names = ConfigDef.keys().stream().map(ConfigKey::name).toList();
        assertThat(names).contains("node.id", "listeners", "advertised.listeners", "controller.quorum.voters",
                "http.listener", "log.dirs", "num.partitions", "default.replication.factor",
                "auto.create.topics.enable", "log.segment.bytes", "log.roll.ms", "log.roll.hours", "log.retention.ms",
                "log.retention.minutes", "log.retention.hours", "log.retention.bytes", "message.max.bytes",
                "log.flush.policy", "log.flush.interval.ms", "min.insync.replicas", "socket.request.max.bytes");
        assertThat(ConfigDef.key("no.such.key")).isEmpty();
    }
}
