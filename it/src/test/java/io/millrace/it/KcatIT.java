package io.millrace.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kcat (librdkafka): metadata, produce from stdin with keys and headers, consume to the end, and
 * two balanced consumers ({@code -G}) in one group.
 */
class KcatIT {

    private static final int COUNT = 1000;
    /** kcat's rebalance message on stderr, e.g. {@code % Group g rebalanced (memberid m): assigned: t [0], t [2]}. */
    private static final Pattern REBALANCED =
            Pattern.compile("rebalanced \\(memberid [^)]*\\): (assigned|revoked): (.*)");
    private static final Pattern PARTITION = Pattern.compile("\\[(\\d+)\\]");
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

    /**
     * Two kcat processes in balanced-consumer mode ({@code -G}) share a four-partition topic,
     * committing automatically and when they leave; together they read every record exactly once
     * (see {@link TwoMemberGroup}). librdkafka commits every 5 s by default, which kcat cannot
     * shorten: its {@code -X auto.commit.interval.ms} sets the topic-level property of that name,
     * which the balanced consumer ignores. The test therefore waits about 5 s for each commit.
     */
    @Test
    void twoBalancedKcatConsumersShareTopicAndReadEachRecordOnce() {
        TwoMemberGroup.consumeExactlyOnce(node, "kcat-group",
                (topic, group) -> Clients.startKcat("-b", node.bootstrap(), "-G", group, "-u",
                        "-X", "auto.offset.reset=earliest",
                        "-X", "heartbeat.interval.ms=500", "-X", "session.timeout.ms=10000",
                        "-f", "consumed\t%p\t%o\t%k\t%s\n", topic),
                KcatIT::assignment);
    }

    /** The partitions a kcat balanced consumer owns now, from the last rebalance message it printed. */
    private static Set<Integer> assignment(Clients.Running kcat) {
        Set<Integer> owned = Set.of();
        for (String line : kcat.stderrSoFar().lines().toList()) {
            Matcher rebalanced = REBALANCED.matcher(line);
            if (rebalanced.find()) {
                owned = rebalanced.group(1).equals("assigned")
                        ? PARTITION.matcher(rebalanced.group(2)).results()
                                .map(m -> Integer.parseInt(m.group(1))).collect(Collectors.toSet())
                        : Set.of();
            }
        }
        return owned;
    }
}
