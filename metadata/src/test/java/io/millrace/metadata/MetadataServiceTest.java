package io.millrace.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.Time;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A one-voter metadata quorum in a temporary directory, driven through the public API. */
class MetadataServiceTest {
    @TempDir
    Path dir;

    private MetadataConfig config;
    private MetadataService service;

    @BeforeEach
    void startNode() {
        config = new MetadataConfig(1, Map.of(1, new InetSocketAddress("127.0.0.1", freePort())), dir,
                3, (short) 1, Map.of("retention.ms", "86400000"));
        service = startReady(config, 42);
        get(service.registerBroker(1, "localhost", 9092, null));
    }

    @AfterEach
    void stopNode() {
        if (service != null) {
            service.close();
        }
    }

    static MetadataService startReady(MetadataConfig config, long seed) {
        MetadataService s = MetadataService.start(config, Time.SYSTEM, new Random(seed));
        get(s.awaitReady());
        return s;
    }

    static <T> T get(CompletableFuture<T> future) {
        return future.orTimeout(60, TimeUnit.SECONDS).join();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private CreateTopicResult create(NewTopic topic) {
        return get(service.createTopics(List.of(topic), false)).get(0);
    }

    @Test
    void singleVoterElectsItselfAndInitialisesTheCluster() {
        MetadataImage image = service.image();
        assertThat(image.controllerId()).hasValue(1);
        assertThat(image.clusterId()).hasSize(22);
        assertThat(image.brokers()).containsOnlyKeys(1);
        assertThat(image.brokers().get(1)).isEqualTo(new BrokerInfo(1, "localhost", 9092, null, false));
    }

    @Test
    void createWithDefaultsUsesConfiguredCountsAndIsVisibleWhenTheFutureCompletes() {
        CreateTopicResult result = create(NewTopic.withDefaults("orders"));
        assertThat(result.error()).isEqualTo(ErrorCode.NONE);
        assertThat(result.numPartitions()).isEqualTo(3);
        assertThat(result.replicationFactor()).isEqualTo((short) 1);
        TopicInfo topic = service.image().topic("orders").orElseThrow();
        assertThat(topic.id()).isEqualTo(result.topicId());
        assertThat(service.image().topic(result.topicId())).contains(topic);
        assertThat(topic.partitions()).extracting(PartitionInfo::leader).containsOnly(1);
    }

    @Test
    void createWithExplicitCountsAndConfigs() {
        CreateTopicResult result = create(new NewTopic("payments", 5, (short) 1, Map.of(),
                Map.of("cleanup.policy", "compact")));
        assertThat(result.numPartitions()).isEqualTo(5);
        assertThat(result.configs()).containsEntry("cleanup.policy", "compact");
        assertThat(service.image().topic("payments").orElseThrow().configs()).isEqualTo(Map.of("cleanup.policy", "compact"));
    }

    @Test
    void validateOnlyAnswersButChangesNothing() {
        long before = service.image().appliedIndex();
        CreateTopicResult ok = get(service.createTopics(List.of(NewTopic.withDefaults("dry")), true)).get(0);
        CreateTopicResult bad = get(service.createTopics(List.of(new NewTopic("dry2", 1, (short) 3, Map.of(), Map.of())),
                true)).get(0);
        assertThat(ok.error()).isEqualTo(ErrorCode.NONE);
        assertThat(ok.numPartitions()).isEqualTo(3);
        assertThat(bad.error()).isEqualTo(ErrorCode.INVALID_REPLICATION_FACTOR);
        assertThat(service.image().topic("dry")).isEmpty();
        assertThat(service.image().appliedIndex()).isEqualTo(before);
    }

    @Test
    void rejectsInvalidNamesDuplicatesAndTooHighReplicationFactor() {
        create(NewTopic.withDefaults("dup"));
        List<CreateTopicResult> results = get(service.createTopics(List.of(
                NewTopic.withDefaults("bad/name"), NewTopic.withDefaults("dup"),
                new NewTopic("rf3", 1, (short) 3, Map.of(), Map.of()),
                new NewTopic("badcfg", 1, (short) 1, Map.of(), Map.of("no.such", "1"))), false));
        assertThat(results).extracting(CreateTopicResult::error).containsExactly(ErrorCode.INVALID_TOPIC_EXCEPTION,
                ErrorCode.TOPIC_ALREADY_EXISTS, ErrorCode.INVALID_REPLICATION_FACTOR, ErrorCode.INVALID_CONFIG);
        assertThat(results.get(1).errorMessage()).isEqualTo("Topic 'dup' already exists.");
        assertThat(results.get(2).errorMessage()).isEqualTo("Unable to replicate the partition 3 time(s): The target"
                + " replication factor of 3 cannot be reached because only 1 broker(s) are registered.");
        assertThat(service.image().topicsByName()).containsOnlyKeys("dup");
    }

    @Test
    void deleteThenRecreateGivesANewId() {
        UUID first = create(NewTopic.withDefaults("cycle")).topicId();
        List<TopicResult> deleted = get(service.deleteTopics(List.of("cycle", "missing")));
        assertThat(deleted).extracting(TopicResult::error)
                .containsExactly(ErrorCode.NONE, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(deleted.get(0).topicId()).isEqualTo(first);
        assertThat(service.image().topic("cycle")).isEmpty();
        assertThat(service.image().topic(first)).isEmpty();

        UUID second = create(NewTopic.withDefaults("cycle")).topicId();
        assertThat(second).isNotEqualTo(first);
        List<TopicResult> byId = get(service.deleteTopicsById(List.of(second, first)));
        assertThat(byId).extracting(TopicResult::error).containsExactly(ErrorCode.NONE, ErrorCode.UNKNOWN_TOPIC_ID);
        assertThat(byId.get(0).name()).isEqualTo("cycle");
    }

    @Test
    void createPartitionsIncreasesTheCount() {
        create(new NewTopic("wide", 2, (short) 1, Map.of(), Map.of()));
        List<TopicResult> dry = get(service.createPartitions(List.of(new PartitionIncrease("wide", 4, null)), true));
        assertThat(dry.get(0).error()).isEqualTo(ErrorCode.NONE);
        assertThat(service.image().topic("wide").orElseThrow().partitions()).hasSize(2);

        List<TopicResult> results = get(service.createPartitions(List.of(new PartitionIncrease("wide", 4, null),
                new PartitionIncrease("absent", 4, null)), false));
        assertThat(results).extracting(TopicResult::error)
                .containsExactly(ErrorCode.NONE, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(service.image().topic("wide").orElseThrow().partitions()).hasSize(4)
                .allSatisfy(p -> assertThat(p.leader()).isEqualTo(1));
        assertThat(get(service.createPartitions(List.of(new PartitionIncrease("wide", 3, null)), false)).get(0).error())
                .isEqualTo(ErrorCode.INVALID_PARTITIONS);
    }

    @Test
    void alterConfigsIncrementallyAndByReplacingAll() {
        create(new NewTopic("cfg", 1, (short) 1, Map.of(), Map.of("retention.ms", "1000", "segment.ms", "60000")));
        ErrorResult incremental = get(service.alterTopicConfigs("cfg", Map.of("cleanup.policy", "compact"),
                Set.of("segment.ms"), false, false));
        assertThat(incremental).isEqualTo(ErrorResult.NONE);
        assertThat(configs("cfg")).isEqualTo(Map.of("retention.ms", "1000", "cleanup.policy", "compact"));

        ErrorResult replaced = get(service.alterTopicConfigs("cfg", Map.of("min.insync.replicas", "1"), Set.of(), true,
                false));
        assertThat(replaced.isSuccess()).isTrue();
        assertThat(configs("cfg")).isEqualTo(Map.of("min.insync.replicas", "1"));

        ErrorResult invalid = get(service.alterTopicConfigs("cfg", Map.of("retention.mss", "1"), Set.of(), false, false));
        assertThat(invalid).isEqualTo(new ErrorResult(ErrorCode.INVALID_CONFIG, "Unknown topic config name: retention.mss"));
        ErrorResult validateOnly = get(service.alterTopicConfigs("cfg", Map.of("retention.ms", "5"), Set.of(), false, true));
        assertThat(validateOnly.isSuccess()).isTrue();
        assertThat(configs("cfg")).isEqualTo(Map.of("min.insync.replicas", "1"));
        assertThat(get(service.alterTopicConfigs("ghost", Map.of(), Set.of(), false, false)).error())
                .isEqualTo(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    }

    private Map<String, String> configs(String topic) {
        return service.image().topic(topic).orElseThrow().configs();
    }

    @Test
    void producerIdBlocksNeverOverlap() {
        List<ProducerIdBlock> blocks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            blocks.add(get(service.allocateProducerIds(1)));
        }
        for (int i = 1; i < blocks.size(); i++) {
            assertThat(blocks.get(i).firstProducerId()).isGreaterThanOrEqualTo(blocks.get(i - 1).nextBlockFirstId());
        }
        assertThat(blocks).allSatisfy(b -> assertThat(b.size()).isEqualTo(ProducerIdBlock.BLOCK_SIZE));
    }

    @Test
    void listenerSeesEveryAppliedChange() {
        List<MetadataImage> seen = new CopyOnWriteArrayList<>();
        service.addListener((previous, current) -> seen.add(current));
        create(NewTopic.withDefaults("heard"));
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.stream().anyMatch(i -> i.topic("heard").isPresent()));
    }

    @Test
    void restartRebuildsTheSameImageFromLogAndSnapshot() throws IOException {
        CreateTopicResult kept = create(new NewTopic("kept", 2, (short) 1, Map.of(), Map.of("retention.ms", "1234")));
        get(service.deleteTopics(List.of(kept.name())));
        CreateTopicResult recreated = create(new NewTopic("kept", 2, (short) 1, Map.of(), Map.of("retention.ms", "1234")));
        ProducerIdBlock before = get(service.allocateProducerIds(1));
        service.takeSnapshot();
        create(NewTopic.withDefaults("after-snapshot"));
        MetadataImage image = service.image();
        service.close();

        service = startReady(config, 43);
        MetadataImage restarted = service.image();
        assertThat(restarted.clusterId()).isEqualTo(image.clusterId());
        assertThat(restarted.brokers()).isEqualTo(image.brokers());
        assertThat(restarted.topicsByName()).isEqualTo(image.topicsByName());
        assertThat(restarted.topic("kept").orElseThrow().id()).isEqualTo(recreated.topicId());
        assertThat(restarted.topic("kept").orElseThrow().configs()).containsEntry("retention.ms", "1234");
        ProducerIdBlock next = get(service.allocateProducerIds(1));
        assertThat(next.firstProducerId()).isGreaterThanOrEqualTo(before.nextBlockFirstId());
    }

    @Test
    void retriedCommandIsAnsweredWithItsFirstReply() {
        MetadataCommand command = new MetadataCommand.AllocateProducerIds(UUID.randomUUID(), 1);
        CommandReply first = get(service.propose(command));
        CommandReply second = get(service.propose(command));
        assertThat(second).isEqualTo(first);
        assertThat(get(service.allocateProducerIds(1)).firstProducerId())
                .isEqualTo(((CommandReply.ProducerIds) first).block().nextBlockFirstId());
    }
}
