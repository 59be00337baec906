package io.millrace.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kafka-python 2.0.2 (Debian python3-kafka), which sends the oldest versions Kafka 4 accepts:
 * produce and read back, first sends to new topics, and a two-member consumer group.
 */
class KafkaPythonIT {

    private static final int COUNT = 1000;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    /** Seed 002 saw first sends to new topics fail after 5 s; a first send must not come near that. */
    private static final long FIRST_SEND_BOUND_MS = 5000;
    private static MillraceNode node;

    @BeforeAll
    static void startNode() {
        Requirements.requireKafkaPython();
        node = MillraceNode.start(KafkaPythonIT.class.getSimpleName());
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void kafkaPythonProducesAndReadsBack() {
        String topic = "kafka-python-roundtrip";
        KafkaSupport.createTopic(node, topic, 1);
        Clients.Result result = Clients.python("kafka_python_roundtrip.py", TIMEOUT,
                "--bootstrap", node.bootstrap(), "--topic", topic, "--count", Integer.toString(COUNT))
                .assertSuccess();
        ClientRoundTrip.assertRoundTrip(result, COUNT);
    }

    /**
     * Two kafka-python KafkaConsumers with one group_id share a four-partition topic; each commits
     * after every poll, and together they read every record exactly once (see {@link TwoMemberGroup}).
     */
    @Test
    void twoGroupMembersShareTopicAndReadEachRecordOnce() {
        TwoMemberGroup.consumeExactlyOnce(node, "kafka-python-group",
                (topic, group) -> Clients.startPython("kafka_python_group_member.py",
                        "--bootstrap", node.bootstrap(), "--topic", topic, "--group", group),
                TwoMemberGroup::assignmentFromTaggedLines);
    }

    /** Seed 002: KafkaProducer(acks=1) to topics that do not exist yet; every first send succeeds. */
    @Test
    void firstSendToTopicThatDoesNotExistYetSucceedsWithoutTimeout() {
        List<String> topics = IntStream.range(0, 5).mapToObj(i -> "seed002-new-topic-" + i).toList();
        Clients.Result result = Clients.python("kafka_python_autocreate.py", TIMEOUT,
                "--bootstrap", node.bootstrap(), "--topics", String.join(",", topics)).assertSuccess();
        List<List<String>> sends = result.taggedLines("first-send");
        assertThat(sends).as("first sends\n%s", result.describe()).extracting(fields -> fields.get(0))
                .containsExactlyElementsOf(topics);
        for (List<String> send : sends) {
            assertThat(Long.parseLong(send.get(2))).as("offset of the first record in %s", send.get(0)).isZero();
            assertThat(Long.parseLong(send.get(3))).as("ms until the first send to %s was acknowledged",
                    send.get(0)).isLessThan(FIRST_SEND_BOUND_MS);
        }
        assertThat(sends.stream().map(fields -> fields.get(0)).collect(Collectors.toSet())).hasSize(topics.size());
    }
}
