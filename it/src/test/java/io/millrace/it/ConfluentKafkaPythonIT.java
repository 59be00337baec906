package io.millrace.it;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** confluent-kafka-python on librdkafka (Debian python3-confluent-kafka): idempotent, lz4. */
class ConfluentKafkaPythonIT {

    private static final int COUNT = 1000;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static MillraceNode node;

    @BeforeAll
    static void startNode() {
        Requirements.requireConfluentKafkaPython();
        node = MillraceNode.start(ConfluentKafkaPythonIT.class.getSimpleName());
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void confluentKafkaProducesIdempotentlyAndReadsBack() {
        String topic = "confluent-kafka-roundtrip";
        KafkaSupport.createTopic(node, topic, 1);
        Clients.Result result = Clients.python("confluent_kafka_roundtrip.py", TIMEOUT,
                "--bootstrap", node.bootstrap(), "--topic", topic, "--count", Integer.toString(COUNT))
                .assertSuccess();
        ClientRoundTrip.assertRoundTrip(result, COUNT);
    }
}
