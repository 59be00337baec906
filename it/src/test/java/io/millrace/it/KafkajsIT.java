package io.millrace.it;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** kafkajs (npm, pinned), which sends only non-flexible request versions; consumes with a group. */
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

    @Test
    void kafkajsProducesAndConsumesWithGroup() {
        String topic = "kafkajs-roundtrip";
        KafkaSupport.createTopic(node, topic, 1);
        Clients.Result result = Clients.node("kafkajs_roundtrip.js", TIMEOUT,
                "--bootstrap", node.bootstrap(), "--topic", topic, "--count", Integer.toString(COUNT))
                .assertSuccess();
        ClientRoundTrip.assertRoundTrip(result, COUNT);
    }
}
