package io.millrace.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.metadata.MetadataCommand.CreatePartitions;
import io.millrace.metadata.MetadataCommand.CreateTopics;
import io.millrace.metadata.MetadataCommand.RegisterBroker;
import io.millrace.metadata.MetadataCommand.TopicCreation;
import io.millrace.protocol.ErrorCode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The deterministic apply logic, without Raft. */
class MetadataApplierTest {
    private MetadataImage image = MetadataImage.EMPTY;

    private void brokers(int... ids) {
        for (int id : ids) {
            image = apply(new RegisterBroker(UUID.randomUUID(), new BrokerInfo(id, "h" + id, 9092, null, false))).image();
        }
    }

    private MetadataApplier.Outcome apply(MetadataCommand command) {
        return MetadataApplier.apply(image, command);
    }

    private CreateTopicResult create(TopicCreation topic) {
        MetadataApplier.Outcome outcome = apply(new CreateTopics(UUID.randomUUID(), List.of(topic)));
        image = outcome.image();
        return ((CommandReply.Created) outcome.reply()).results().get(0);
    }

    private static TopicCreation topic(String name, int partitions, int rf) {
        return new TopicCreation(name, UUID.randomUUID(), partitions, (short) rf, Map.of(), Map.of(), 7, 3);
    }

    private static TopicCreation manual(String name, Map<Integer, List<Integer>> assignments) {
        return new TopicCreation(name, UUID.randomUUID(), -1, (short) -1, assignments, Map.of(), 0, 0);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|Topic name is illegal, it can't be empty",
        ".|Topic name cannot be \".\" or \"..\"",
        "..|Topic name cannot be \".\" or \"..\"",
        "a b|Topic name \"a b\" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'",
        "ümlaut|Topic name \"ümlaut\" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'"})
    void rejectsIllegalTopicNamesWithKafkasMessages(String name, String message) {
        brokers(1);
        CreateTopicResult result = create(topic(name, 1, 1));
        assertThat(result.error()).isEqualTo(ErrorCode.INVALID_TOPIC_EXCEPTION);
        assertThat(result.errorMessage()).isEqualTo(message);
    }

    @Test
    void acceptsNameOf249CharactersButNot250() {
        brokers(1);
        assertThat(create(topic("a".repeat(249), 1, 1)).error()).isEqualTo(ErrorCode.NONE);
        CreateTopicResult tooLong = create(topic("b".repeat(250), 1, 1));
        assertThat(tooLong.error()).isEqualTo(ErrorCode.INVALID_TOPIC_EXCEPTION);
        assertThat(tooLong.errorMessage()).startsWith("Topic name is illegal, it can't be longer than 249 characters");
    }

    @Test
    void createsPartitionsWithLeaderFirstReplicaAndFullIsr() {
        brokers(1, 2, 3);
        CreateTopicResult result = create(topic("orders", 6, 2));
        assertThat(result.error()).isEqualTo(ErrorCode.NONE);
        TopicInfo topic = image.topic("orders").orElseThrow();
        assertThat(topic.partitions()).hasSize(6).allSatisfy(p -> {
            assertThat(p.replicas()).hasSize(2).doesNotHaveDuplicates();
            assertThat(p.isr()).isEqualTo(p.replicas());
            assertThat(p.leader()).isEqualTo(p.replicas().get(0));
            assertThat(p.leaderEpoch()).isZero();
            assertThat(p.partitionEpoch()).isZero();
        });
        Map<Integer, Integer> leaders = new HashMap<>();
        topic.partitions().forEach(p -> leaders.merge(p.leader(), 1, Integer::sum));
        assertThat(leaders).containsOnlyKeys(1, 2, 3).allSatisfy((broker, count) -> assertThat(count).isEqualTo(2));
    }

    @Test
    void rejectsReplicationFactorAboveBrokerCountWithKafkasMessage() {
        brokers(1);
        CreateTopicResult result = create(topic("t", 1, 3));
        assertThat(result.error()).isEqualTo(ErrorCode.INVALID_REPLICATION_FACTOR);
        assertThat(result.errorMessage()).isEqualTo("Unable to replicate the partition 3 time(s): The target"
                + " replication factor of 3 cannot be reached because only 1 broker(s) are registered.");
    }

    @Test
    void rejectsNonPositiveCounts() {
        brokers(1);
        assertThat(create(topic("t", 0, 1)).error()).isEqualTo(ErrorCode.INVALID_PARTITIONS);
        assertThat(create(topic("t", 1, 0)).error()).isEqualTo(ErrorCode.INVALID_REPLICATION_FACTOR);
    }

    @Test
    void rejectsNamesCollidingByDotAndUnderscore() {
        brokers(1);
        assertThat(create(topic("a.b", 1, 1)).error()).isEqualTo(ErrorCode.NONE);
        CreateTopicResult result = create(topic("a_b", 1, 1));
        assertThat(result.error()).isEqualTo(ErrorCode.INVALID_TOPIC_EXCEPTION);
        assertThat(result.errorMessage()).isEqualTo("Topic 'a_b' collides with existing topic: a.b");
    }

    @Test
    void rejectsDuplicateNamesInOneRequest() {
        brokers(1);
        MetadataApplier.Outcome outcome = apply(new CreateTopics(UUID.randomUUID(),
                List.of(topic("x", 1, 1), topic("x", 1, 1))));
        assertThat(((CommandReply.Created) outcome.reply()).results())
                .extracting(CreateTopicResult::error).containsExactly(ErrorCode.INVALID_REQUEST, ErrorCode.INVALID_REQUEST);
        assertThat(outcome.image().topic("x")).isEmpty();
    }

    @Test
    void validatesManualAssignmentsWithKafkasMessages() {
        brokers(1, 2, 3);
        assertThat(create(manual("m1", Map.of(0, List.of(1, 9)))).errorMessage())
                .isEqualTo("The manual partition assignment includes broker 9, but no such broker is registered.");
        assertThat(create(manual("m2", Map.of(0, List.of(2, 2)))).errorMessage())
                .isEqualTo("The manual partition assignment includes the broker 2 more than once.");
        assertThat(create(manual("m3", Map.of(0, List.of(1, 2), 1, List.of(3)))).errorMessage())
                .isEqualTo("The manual partition assignment includes a partition with 1 replica(s), but this is not"
                        + " consistent with previous partitions, which have 2 replica(s).");
        assertThat(create(manual("m4", Map.of(0, List.of()))).errorMessage())
                .isEqualTo("The manual partition assignment includes an empty replica list.");
        assertThat(create(manual("m5", Map.of(1, List.of(1)))).error()).isEqualTo(ErrorCode.INVALID_REPLICA_ASSIGNMENT);
        TopicCreation withCount = new TopicCreation("m6", UUID.randomUUID(), 1, (short) -1,
                Map.of(0, List.of(1)), Map.of(), 0, 0);
        assertThat(create(withCount).error()).isEqualTo(ErrorCode.INVALID_REQUEST);
        CreateTopicResult ok = create(manual("m7", Map.of(0, List.of(3, 1), 1, List.of(2, 3))));
        assertThat(ok.error()).isEqualTo(ErrorCode.NONE);
        assertThat(ok.numPartitions()).isEqualTo(2);
        assertThat(ok.replicationFactor()).isEqualTo((short) 2);
        assertThat(image.topic("m7").orElseThrow().partitions().get(0).leader()).isEqualTo(3);
    }

    @Test
    void createPartitionsOnlyIncreasesAndKeepsReplicationFactor() {
        brokers(1, 2, 3);
        create(topic("grow", 2, 2));
        assertThat(increase(new PartitionIncrease("grow", 2, null)).errorMessage())
                .isEqualTo("Topic already has 2 partition(s).");
        assertThat(increase(new PartitionIncrease("grow", 1, null)).errorMessage())
                .isEqualTo("The topic grow currently has 2 partition(s); 1 would not be an increase.");
        assertThat(increase(new PartitionIncrease("grow", 4, List.of(List.of(1, 2)))).errorMessage())
                .isEqualTo("Attempted to add 2 additional partition(s), but only 1 assignment(s) were specified.");
        assertThat(increase(new PartitionIncrease("nope", 4, null)).error())
                .isEqualTo(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(increase(new PartitionIncrease("grow", 5, null)).error()).isEqualTo(ErrorCode.NONE);
        assertThat(image.topic("grow").orElseThrow().partitions()).hasSize(5)
                .allSatisfy(p -> assertThat(p.replicas()).hasSize(2));
    }

    private TopicResult increase(PartitionIncrease increase) {
        MetadataApplier.Outcome outcome = apply(new CreatePartitions(UUID.randomUUID(), List.of(increase), 5, 1));
        image = outcome.image();
        return ((CommandReply.Topics) outcome.reply()).results().get(0);
    }

    @Test
    void snapshotAndCommandEncodingsRoundTrip() {
        brokers(1, 2);
        create(new TopicCreation("enc", UUID.randomUUID(), 3, (short) 2, Map.of(),
                Map.of("retention.ms", "1000"), 1, 1));
        RecentReplies recent = RecentReplies.EMPTY.with(UUID.randomUUID(), new byte[] {1, 2, 3});
        SnapshotCodec.State decoded = SnapshotCodec.decode(SnapshotCodec.encode(new SnapshotCodec.State(image, recent)));
        assertThat(decoded.image()).isEqualTo(image);
        assertThat(decoded.recent().entries()).containsOnlyKeys(recent.entries().keySet());

        MetadataCommand command = new CreateTopics(UUID.randomUUID(), List.of(manual("z", Map.of(0, List.of(1, 2)))));
        assertThat(MetadataCodec.decodeCommand(MetadataCodec.encode(command))).isEqualTo(command);
    }
}
