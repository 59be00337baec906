package io.millrace.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** kcat (librdkafka): metadata, produce from stdin with keys and headers, consume to the end. */
class KcatIT {

    private static final int COUNT = 1000;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static MillraceNode node;

    @BeforeAll
    static void startNode() {
        Requirements.requireKcat();
        node = MillraceNode.start(KcatIT.class.getSimpleName());
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void kcatProducesAndConsumesKeyedRecordsWithHeaders() {
        String topic = "kcat-roundtrip";
        KafkaSupport.createTopic(node, topic, 1);

        Clients.Result metadata = Clients.kcat(TIMEOUT, null, "-b", node.bootstrap(), "-L", "-t", topic)
                .assertSuccess();
        assertThat(metadata.stdout()).contains("topic \"" + topic + "\" with 1 partitions")
                .contains("partition 0, leader " + node.nodeId());

        String input = IntStream.range(0, COUNT)
                .mapToObj(i -> ClientRoundTrip.key(i) + ":" + ClientRoundTrip.value(i))
                .collect(Collectors.joining("\n", "", "\n"));
        Clients.kcat(TIMEOUT, input, "-b", node.bootstrap(), "-t", topic, "-p", "0", "-P", "-K", ":",
                "-H", "source=kcat", "-X", "acks=all", "-X", "linger.ms=5").assertSuccess();

        Clients.Result consumed = Clients.kcat(TIMEOUT, null, "-b", node.bootstrap(), "-t", topic, "-p", "0",
                "-C", "-o", "beginning", "-c", Integer.toString(COUNT), "-e", "-q",
                "-f", "consumed\t%o\t%k\t%s\t%h\n").assertSuccess();
        List<List<String>> records = consumed.taggedLines("consumed");
        assertThat(records).as("records read back\n%s", consumed.describe()).hasSize(COUNT);
        for (int i = 0; i < COUNT; i++) {
            assertThat(records.get(i)).as("record %d", i).containsExactly(
                    Integer.toString(i), ClientRoundTrip.key(i), ClientRoundTrip.value(i), "source=kcat");
        }
    }
}
