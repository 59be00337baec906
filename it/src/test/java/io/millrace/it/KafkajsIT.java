package io.millrace.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** kafkajs (npm, pinned), which sends only non-flexible request versions. */
class KafkajsIT {

    private static final int COUNT = 1000;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static MillraceNode node;

    @BeforeAll
    static void startNode() {
        Requirements.requireKafkajs();
        node = MillraceNode.start(KafkajsIT.class.getSimpleName());
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    /**
     * kafkajs produces (none and gzip batches); its records are read back with the Java consumer
     * through {@code assign()}, because kafkajs consumes only through consumer groups, which this
     * broker does not serve yet.
     */
    @Test
    void kafkajsProducesRecordsThatReadBackInOrder() {
        String topic = "kafkajs-roundtrip";
        KafkaSupport.createTopic(node, topic, 1);
        Clients.Result result = Clients.node("kafkajs_roundtrip.js", TIMEOUT,
                "--bootstrap", node.bootstrap(), "--topic", topic, "--count", Integer.toString(COUNT),
                "--produce-only", "true")
                .assertSuccess();
        List<List<String>> produced = result.taggedLines("produced");
        assertThat(produced).as("acknowledged sends\n%s", result.describe()).hasSize(COUNT);
        List<ConsumerRecord<String, String>> records = KafkaSupport.readPartition(node,
                new TopicPartition(topic, 0), TIMEOUT);
        assertThat(records).hasSize(COUNT);
        for (int i = 0; i < COUNT; i++) {
            ConsumerRecord<String, String> record = records.get(i);
            assertThat(record.offset()).as("offset of record %d", i).isEqualTo(i);
            assertThat(record.key()).isEqualTo(ClientRoundTrip.key(i));
            assertThat(record.value()).isEqualTo(ClientRoundTrip.value(i));
            assertThat(new String(record.headers().lastHeader("source").value(), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("kafkajs");
        }
    }
}
