package io.millrace.it;

import static io.millrace.it.KafkaSupport.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Java client (kafka-clients 4.3.1): idempotent produce with every codec, assign-consume, Admin. */
class JavaClientsIT {

    private static final int RECORDS = 500;
    private static MillraceNode node;

    @BeforeAll
    static void startNode() {
        node = MillraceNode.start(JavaClientsIT.class.getSimpleName());
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @ParameterizedTest(name = "compression.type={0}")
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void idempotentProducerRecordsAreReadBackInOrderWithKeysValuesAndHeaders(String compression) {
        String topic = "java-" + compression;
        KafkaSupport.createTopic(node, topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);

        List<Long> ackedOffsets = new ArrayList<>();
        try (KafkaProducer<String, String> producer = KafkaSupport.producer(node, Map.of(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.COMPRESSION_TYPE_CONFIG, compression,
                ProducerConfig.LINGER_MS_CONFIG, "5",
                ProducerConfig.BATCH_SIZE_CONFIG, "8192"))) {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                sends.add(producer.send(new ProducerRecord<>(topic, 0, key(i), value(i, compression), headers(i))));
            }
            producer.flush();
            for (Future<RecordMetadata> send : sends) {
                ackedOffsets.add(get(send).offset());
            }
        }
        assertThat(ackedOffsets).as("acknowledged offsets").containsExactlyElementsOf(range(RECORDS));

        List<ConsumerRecord<String, String>> records = KafkaSupport.readPartition(node, tp, Duration.ofSeconds(60));
        assertThat(records).hasSize(RECORDS);
        for (int i = 0; i < RECORDS; i++) {
            ConsumerRecord<String, String> record = records.get(i);
            assertThat(record.offset()).as("offset of record %d", i).isEqualTo(i);
            assertThat(record.key()).isEqualTo(key(i));
            assertThat(record.value()).isEqualTo(value(i, compression));
            Header[] headers = record.headers().toArray();
            assertThat(headers).as("headers of record %d", i).hasSize(2);
            assertThat(headers[0].key()).isEqualTo("trace");
            assertThat(new String(headers[0].value(), StandardCharsets.UTF_8)).isEqualTo("trace-" + i);
            assertThat(headers[1].key()).isEqualTo("empty");
            assertThat(headers[1].value()).isEmpty();
        }
    }

    /**
     * min.insync.replicas takes effect: with one replica in sync and two required, an acks=all
     * produce is refused with NOT_ENOUGH_REPLICAS and nothing is written, while acks=1 is accepted.
     */
    @Test
    void acksAllIsRefusedWhileTheIsrIsBelowMinInsyncReplicas() {
        String topic = "min-isr-2";
        KafkaSupport.createTopic(node, topic, 1, Map.of("min.insync.replicas", "2"));
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaProducer<String, String> producer = KafkaSupport.producer(node, Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false",
                ProducerConfig.RETRIES_CONFIG, "0"))) {
            Future<RecordMetadata> refused = producer.send(new ProducerRecord<>(topic, 0, "k", "refused"));
            assertThatThrownBy(() -> refused.get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.NotEnoughReplicasException.class);
        }
        try (KafkaProducer<String, String> producer = KafkaSupport.producer(node, Map.of(
                ProducerConfig.ACKS_CONFIG, "1", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false"))) {
            assertThat(get(producer.send(new ProducerRecord<>(topic, 0, "k", "accepted"))).offset()).isZero();
        }
        List<ConsumerRecord<String, String>> records = KafkaSupport.readPartition(node, tp, Duration.ofSeconds(60));
        assertThat(records).extracting(ConsumerRecord::value).containsExactly("accepted");
    }

    /** Admin.deleteRecords moves the log start offset; earlier records can no longer be read. */
    @Test
    void deleteRecordsMovesTheEarliestOffset() {
        String topic = "delete-records";
        TopicPartition tp = new TopicPartition(topic, 0);
        KafkaSupport.createTopic(node, topic, 1);
        try (KafkaProducer<String, String> producer = KafkaSupport.producer(node, Map.of())) {
            for (int i = 0; i < 100; i++) {
                get(producer.send(new ProducerRecord<>(topic, 0, "k", "v" + i)));
            }
        }
        try (Admin admin = KafkaSupport.admin(node)) {
            long lowWatermark = get(admin.deleteRecords(Map.of(tp,
                    org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(60))).lowWatermarks().get(tp))
                    .lowWatermark();
            assertThat(lowWatermark).isEqualTo(60);
            long earliest = get(admin.listOffsets(Map.of(tp,
                    org.apache.kafka.clients.admin.OffsetSpec.earliest())).all()).get(tp).offset();
            assertThat(earliest).isEqualTo(60);
        }
        List<ConsumerRecord<String, String>> records = KafkaSupport.readPartition(node, tp, Duration.ofSeconds(60));
        assertThat(records).extracting(ConsumerRecord::offset).first().isEqualTo(60L);
        assertThat(records).hasSize(40);
    }

    @Test
    void adminCreatesDescribesAltersAndDeletesTopics() {
        String topic = "admin-lifecycle";
        try (Admin admin = KafkaSupport.admin(node)) {
            get(admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1)
                    .configs(Map.of("retention.ms", "86400000")))).all());

            assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all()
                    .get(KafkaSupport.CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TopicExistsException.class);

            assertThat(get(admin.listTopics().names())).contains(topic);

            TopicDescription description = get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
            assertThat(description.topicId()).isNotEqualTo(Uuid.ZERO_UUID);
            assertThat(description.partitions()).hasSize(3);
            for (TopicPartitionInfo partition : description.partitions()) {
                assertThat(partition.leader()).as("leader of partition %d", partition.partition()).isNotNull();
                assertThat(partition.leader().id()).isEqualTo(node.nodeId());
                assertThat(partition.replicas()).extracting(n -> n.id()).containsExactly(node.nodeId());
                assertThat(partition.isr()).extracting(n -> n.id()).containsExactly(node.nodeId());
            }

            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            assertThat(topicConfig(admin, resource).get("retention.ms").value()).isEqualTo("86400000");
            assertThat(topicConfig(admin, resource).get("cleanup.policy")).as("cleanup.policy entry").isNotNull();

            get(admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                    new ConfigEntry("retention.ms", "3600000"), AlterConfigOp.OpType.SET)))).all());
            await("retention.ms altered").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(topicConfig(admin, resource).get("retention.ms").value()).isEqualTo("3600000"));

            get(admin.deleteTopics(List.of(topic)).all());
            await("topic deleted").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(get(admin.listTopics().names())).doesNotContain(topic));
            assertThatThrownBy(() -> admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(KafkaSupport.CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
        }
    }

    private static Config topicConfig(Admin admin, ConfigResource resource) {
        return get(admin.describeConfigs(List.of(resource)).all()).get(resource);
    }

    private static String key(int i) {
        return "key-" + i;
    }

    /** Repetitive enough that every codec really compresses it. */
    private static String value(int i, String compression) {
        return "value-" + i + "-" + compression + "-" + "abcdefgh".repeat(16);
    }

    private static List<Header> headers(int i) {
        return List.of(new RecordHeader("trace", ("trace-" + i).getBytes(StandardCharsets.UTF_8)),
                new RecordHeader("empty", new byte[0]));
    }

    private static Collection<Long> range(int count) {
        List<Long> offsets = new ArrayList<>(count);
        for (long i = 0; i < count; i++) {
            offsets.add(i);
        }
        return offsets;
    }
}
