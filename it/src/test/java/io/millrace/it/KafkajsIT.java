package io.millrace.it;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kafkajs (npm, pinned), which sends only non-flexible request versions: produce and read back
 * through a group, and a two-member consumer group.
 */
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
     * kafkajs produces (none and gzip batches) and reads the records back with a consumer group of
     * one member, subscribed from the beginning.
     */
    @Test
    void kafkajsProducesRecordsThatReadBackInOrder() {
        String topic = "kafkajs-roundtrip";
        KafkaSupport.createTopic(node, topic, 1);
        Clients.Result result = Clients.node("kafkajs_roundtrip.js", TIMEOUT,
                "--bootstrap", node.bootstrap(), "--topic", topic, "--count", Integer.toString(COUNT))
                .assertSuccess();
        ClientRoundTrip.assertRoundTrip(result, COUNT);
    }

    /**
     * Two kafkajs consumers with one groupId share a four-partition topic; kafkajs commits after
     * every batch, and together they read every record exactly once (see {@link TwoMemberGroup}).
     */
    @Test
    void twoGroupMembersShareTopicAndReadEachRecordOnce() {
        TwoMemberGroup.consumeExactlyOnce(node, "kafkajs-group",
                (topic, group) -> Clients.startNode("kafkajs_group_member.js",
                        "--bootstrap", node.bootstrap(), "--topic", topic, "--group", group),
                TwoMemberGroup::assignmentFromTaggedLines);
    }
}
