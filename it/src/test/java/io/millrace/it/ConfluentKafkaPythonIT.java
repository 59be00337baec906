package io.millrace.it;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * confluent-kafka-python on librdkafka (Debian python3-confluent-kafka): an idempotent lz4 producer,
 * an {@code assign()} consumer, and a two-member consumer group.
 */
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

    /**
     * Two confluent-kafka Consumers with one group.id share a four-partition topic; each commits
     * synchronously after every batch, and together they read every record exactly once (see
     * {@link TwoMemberGroup}).
     */
    @Test
    void twoGroupMembersShareTopicAndReadEachRecordOnce() {
        TwoMemberGroup.consumeExactlyOnce(node, "confluent-kafka-group",
                (topic, group) -> Clients.startPython("confluent_kafka_group_member.py",
                        "--bootstrap", node.bootstrap(), "--topic", topic, "--group", group),
                TwoMemberGroup::assignmentFromTaggedLines);
    }
}
