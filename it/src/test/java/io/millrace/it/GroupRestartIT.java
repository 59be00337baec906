package io.millrace.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The node restarts (SIGTERM, or kill -9) under a consuming group whose members commit
 * synchronously after every poll. The group coordinator comes back with the committed offsets
 * from {@code __consumer_offsets}, so the members resume where they were: every record in the
 * log was consumed by the group. After a graceful restart no record is consumed twice either, as
 * with Kafka, whose coordinator also keeps the group's generation and members across the restart
 * so a commit in flight during it is accepted; after kill -9 duplicates are allowed.
 */
class GroupRestartIT {

    private static final int PARTITIONS = 3;
    /** More than {@link #MAX_UNCOMMITTED} apart, so a group restarting from the earliest offsets is caught. */
    private static final int CONSUMED_BEFORE_RESTART = 3_000;
    /** Records a member may have processed but not committed at any time: one poll's worth (max.poll.records). */
    private static final int MAX_UNCOMMITTED = 500;
    private static MillraceNode node;

    /** How the node goes down. */
    enum Restart {
        SIGTERM,
        KILL_9
    }

    @BeforeAll
    static void startNode() {
        node = MillraceNode.start(GroupRestartIT.class.getSimpleName());
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Restart.class)
    void groupResumesFromCommittedOffsetsAfterBrokerRestart(Restart restart) {
        String topic = "restart-" + restart.name().toLowerCase();
        String group = "restart-" + restart.name().toLowerCase();
        KafkaSupport.createTopic(node, topic, PARTITIONS);
        GroupMember.Ledger ledger = new GroupMember.Ledger();
        List<GroupMember> members = new ArrayList<>();
        long startNanos = System.nanoTime();
        // Not idempotent: the test is about the group, not about producer state across restarts.
        BackgroundProducer producer = BackgroundProducer.start(node, topic, 1_000, Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false",
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, "120000"));
        Map<TopicPartition, Long> ends;
        try {
            try {
                Map<String, Object> config =
                        Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(MAX_UNCOMMITTED));
                members.add(GroupMember.startCommittingEveryPoll("m1", node, group, topic, ledger, config));
                members.add(GroupMember.startCommittingEveryPoll("m2", node, group, topic, ledger, config));
                await("both members own partitions and consume").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(100))
                        .untilAsserted(() -> {
                            for (GroupMember member : members) {
                                member.assertHealthy();
                                assertThat(member.assignment()).as("%s", member).isNotEmpty();
                                assertThat(member.consumedSinceAssignment()).as("%s", member).isGreaterThan(200);
                            }
                            assertThat(ledger.total()).isGreaterThanOrEqualTo(CONSUMED_BEFORE_RESTART);
                        });
                if (restart == Restart.SIGTERM) {
                    assertThat(node.stop()).as("exit code after SIGTERM").isEqualTo(143);
                } else {
                    node.kill9();
                }
                long consumedWhileDown = ledger.total();
                node.restart();
                long restartedNanos = System.nanoTime();
                await("the group consumes again after the restart").atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(100))
                        .untilAsserted(() -> {
                            members.forEach(GroupMember::assertHealthy);
                            assertThat(ledger.total()).isGreaterThan(consumedWhileDown + 2_000);
                        });
                System.out.printf("[GroupRestartIT] %s: %d records consumed before the restart, 2,000 more "
                                + "%d ms after the node was ready%n", restart, consumedWhileDown,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartedNanos));
            } finally {
                producer.close();
            }
            ends = KafkaSupport.endOffsets(node, topic, PARTITIONS);
            await("the group consumes up to the end offsets " + ends).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> {
                        members.forEach(GroupMember::assertHealthy);
                        assertThat(KafkaSupport.committedOffsets(node, group)).isEqualTo(ends);
                    });
        } finally {
            members.forEach(GroupMember::close);
        }
        System.out.printf("[GroupRestartIT] %s: %s; %d deliveries, %d duplicate offsets, members %s, in %d ms%n",
                restart, producer, ledger.total(), ledger.duplicates().size(), members,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));

        List<String> skipped = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            TopicPartition tp = new TopicPartition(topic, p);
            List<ConsumerRecord<String, String>> log = KafkaSupport.readPartition(node, tp, Duration.ofSeconds(60));
            assertThat(log).as("records in %s", tp).hasSize((int) (long) ends.get(tp));
            for (ConsumerRecord<String, String> record : log) {
                if (!ledger.contains(tp, record.offset(), record.value()) && skipped.size() < 20) {
                    skipped.add(tp + "@" + record.offset() + "=" + record.value());
                }
            }
            assertThat(ledger.beyond(tp, ends.get(tp))).as("offsets of %s past its end", tp).isEmpty();
        }
        assertThat(skipped).as("records in the log the group never consumed").isEmpty();
        if (restart == Restart.SIGTERM) {
            assertThat(ledger.duplicates()).as("records consumed twice across a graceful restart").isEmpty();
            assertThat(members).allSatisfy(member -> assertThat(member.failedCommits())
                    .as("commits refused for %s", member).isZero());
        } else {
            // Only the last poll of each member can be consumed again; more means committed offsets were lost.
            assertThat(ledger.duplicates()).as("records consumed twice across kill -9")
                    .hasSizeLessThanOrEqualTo(members.size() * MAX_UNCOMMITTED);
        }
    }
}
