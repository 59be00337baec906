package io.millrace.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.RequestUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SCENARIOS.md S7: bad input never hurts the broker. Each test sends something malformed over a
 * raw socket and expects what a Kafka broker does (an error code, or the connection closed);
 * after each, a new Java producer still gets its writes acknowledged and every record written
 * before is still there, unchanged.
 */
class BadInputIT {

    private static final Duration CLOSE_WITHIN = Duration.ofSeconds(10);
    private static final String CANARY_TOPIC = "bad-input-canary";
    private static final int MESSAGE_MAX_BYTES = 100 * 1024;

    private static MillraceNode node;
    private static final List<String> canaryValues = new ArrayList<>();

    @BeforeAll
    static void startNode() {
        node = MillraceNode.builder(BadInputIT.class.getSimpleName())
                .override("message.max.bytes", Integer.toString(MESSAGE_MAX_BYTES))
                .start();
        KafkaSupport.createTopic(node, CANARY_TOPIC, 1);
        assertBrokerServesAndDataIsIntact();
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @AfterEach
    void brokerStillServes() {
        assertThat(node.isRunning()).as("node process alive").isTrue();
        assertBrokerServesAndDataIsIntact();
    }

    @ParameterizedTest(name = "frame length {0}")
    @ValueSource(ints = {Integer.MAX_VALUE, Integer.MIN_VALUE, -1})
    void hugeOrNegativeFrameLengthClosesConnection(int length) {
        try (RawConnection connection = RawConnection.open(node)) {
            connection.sendRaw(ByteBuffer.allocate(4 + 1024).putInt(length).array());
            connection.assertClosedByBroker(CLOSE_WITHIN);
        }
    }

    @ParameterizedTest(name = "{0} garbage bytes")
    @ValueSource(ints = {1, 3, 16, 1000})
    void garbageFrameClosesConnection(int size) {
        byte[] garbage = new byte[size];
        new Random(size).nextBytes(garbage);
        garbage[0] = (byte) 0xFF; // api key 0xFFxx: no such API
        try (RawConnection connection = RawConnection.open(node)) {
            connection.sendFrame(garbage);
            connection.assertClosedByBroker(CLOSE_WITHIN);
        }
    }

    @Test
    void unknownApiKeyClosesConnection() {
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey((short) 9999)
                .setRequestApiVersion((short) 0).setCorrelationId(1).setClientId("millrace-it");
        try (RawConnection connection = RawConnection.open(node)) {
            connection.sendFrame(bytes(RequestUtils.serialize(header, (short) 1,
                    new MetadataRequestData(), (short) 0)));
            connection.assertClosedByBroker(CLOSE_WITHIN);
        }
    }

    @Test
    void unsupportedVersionOfOtherApiClosesConnection() {
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(ApiKeys.METADATA.id)
                .setRequestApiVersion((short) 999).setCorrelationId(1).setClientId("millrace-it");
        try (RawConnection connection = RawConnection.open(node)) {
            connection.sendFrame(bytes(RequestUtils.serialize(header, (short) 2,
                    new MetadataRequestData(), ApiKeys.METADATA.latestVersion())));
            connection.assertClosedByBroker(CLOSE_WITHIN);
        }
    }

    /**
     * Produce v0-2 are advertised (KAFKA-18659) but not served: each partition is answered with
     * UNSUPPORTED_VERSION in the old layout, and the connection stays usable. (Kafka 4.3.1 closes
     * the connection instead; the answer tells an old client why.)
     */
    @ParameterizedTest
    @ValueSource(shorts = {0, 1, 2})
    void produceAtRemovedVersionGetsUnsupportedVersionPerPartition(short version) {
        int correlationId = 77;
        byte[] clientId = "millrace-it".getBytes(StandardCharsets.UTF_8);
        byte[] topic = "legacy".getBytes(StandardCharsets.UTF_8);
        ByteBuffer frame = ByteBuffer.allocate(256);
        frame.putShort(ApiKeys.PRODUCE.id).putShort(version).putInt(correlationId)
                .putShort((short) clientId.length).put(clientId);
        frame.putShort((short) 1).putInt(1000).putInt(1).putShort((short) topic.length).put(topic)
                .putInt(1).putInt(0).putInt(3).put(new byte[] {1, 2, 3});
        frame.flip();
        byte[] payload = new byte[frame.remaining()];
        frame.get(payload);
        try (RawConnection connection = RawConnection.open(node)) {
            connection.sendFrame(payload);
            ByteBuffer response = connection.receiveFrame();
            assertThat(response.getInt()).as("correlation id").isEqualTo(correlationId);
            assertThat(response.getInt()).as("topics").isEqualTo(1);
            byte[] name = new byte[response.getShort()];
            response.get(name);
            assertThat(new String(name, StandardCharsets.UTF_8)).isEqualTo("legacy");
            assertThat(response.getInt()).as("partitions").isEqualTo(1);
            assertThat(response.getInt()).as("partition").isZero();
            assertThat(response.getShort()).as("error code").isEqualTo(Errors.UNSUPPORTED_VERSION.code());
            assertThat(response.getLong()).as("base offset").isEqualTo(-1L);
            if (version >= 2) {
                assertThat(response.getLong()).as("log append time").isEqualTo(-1L);
            }
            if (version >= 1) {
                assertThat(response.getInt()).as("throttle time").isZero();
            }
            assertThat(response.remaining()).isZero();
            assertThat(connection.apiVersions().errorCode()).isEqualTo(Errors.NONE.code());
        }
    }

    /** Java clients rely on this to fall back from ApiVersions v4 to v3. */
    @Test
    void unsupportedApiVersionsVersionGetsV0ResponseWithUnsupportedVersion() {
        int correlationId = 4242;
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(ApiKeys.API_VERSIONS.id)
                .setRequestApiVersion((short) 999).setCorrelationId(correlationId).setClientId("millrace-it");
        ApiVersionsRequestData body = new ApiVersionsRequestData()
                .setClientSoftwareName("millrace-it").setClientSoftwareVersion("0");
        try (RawConnection connection = RawConnection.open(node)) {
            connection.sendFrame(bytes(RequestUtils.serialize(header, (short) 2, body,
                    ApiKeys.API_VERSIONS.latestVersion())));
            ByteBuffer response = connection.receiveFrame();
            assertThat(response.getInt()).as("correlation id (response header v0)").isEqualTo(correlationId);
            ApiVersionsResponseData data = new ApiVersionsResponseData(
                    new ByteBufferAccessor(response), (short) 0);
            assertThat(data.errorCode()).as("error code").isEqualTo(Errors.UNSUPPORTED_VERSION.code());
            assertThat(Errors.UNSUPPORTED_VERSION.code()).isEqualTo((short) 35);
            ApiVersionsResponseData.ApiVersion apiVersions = data.apiKeys().find(ApiKeys.API_VERSIONS.id);
            assertThat(apiVersions).as("ApiVersions' own range in the v0 response").isNotNull();
            assertThat(apiVersions.maxVersion()).isGreaterThanOrEqualTo((short) 3);
            assertThat(response.remaining()).as("bytes after the v0 body").isZero();

            // The connection stays usable: a client now retries with a supported version.
            assertThat(connection.apiVersions().errorCode()).isEqualTo(Errors.NONE.code());
        }
    }

    @Test
    void produceWithCorruptedCrcIsRejectedAndWritesNothing() {
        String topic = "bad-input-crc";
        KafkaSupport.createTopic(node, topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaProducer<String, String> producer = KafkaSupport.producer(node, Map.of(ProducerConfig.ACKS_CONFIG, "all"))) {
            for (int i = 0; i < 10; i++) {
                KafkaSupport.get(producer.send(new ProducerRecord<>(topic, 0, "k" + i, "good-" + i)));
            }
        }
        List<ConsumerRecord<String, String>> before = KafkaSupport.readPartition(node, tp, Duration.ofSeconds(30));
        assertThat(before).hasSize(10);

        MemoryRecords records = MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord("k".getBytes(StandardCharsets.UTF_8), "corrupt-me".getBytes(StandardCharsets.UTF_8)));
        ByteBuffer batch = records.buffer().duplicate();
        int last = batch.limit() - 1;
        batch.put(last, (byte) (batch.get(last) ^ 0x5A)); // a payload byte: the CRC no longer matches
        Uuid topicId = topicId(topic);

        try (RawConnection connection = RawConnection.open(node)) {
            short version = connection.commonVersion(ApiKeys.PRODUCE);
            ProduceRequestData.TopicProduceData topicData = new ProduceRequestData.TopicProduceData()
                    .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData()
                            .setIndex(0).setRecords(MemoryRecords.readableRecords(batch))));
            if (version >= 13) {
                topicData.setTopicId(topicId);
            } else {
                topicData.setName(topic);
            }
            ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000)
                    .setTopicData(new ProduceRequestData.TopicProduceDataCollection(List.of(topicData).iterator()));
            ProduceResponseData response = new ProduceResponseData(
                    connection.request(ApiKeys.PRODUCE, version, request), version);
            ProduceResponseData.PartitionProduceResponse partition =
                    response.responses().iterator().next().partitionResponses().get(0);
            assertThat(partition.index()).isZero();
            assertThat(partition.errorCode()).as("error code for produce v%d with a bad CRC", version)
                    .isEqualTo(Errors.CORRUPT_MESSAGE.code());
        }

        List<ConsumerRecord<String, String>> after = KafkaSupport.readPartition(node, tp, Duration.ofSeconds(30));
        assertThat(after).extracting(ConsumerRecord::offset, ConsumerRecord::key, ConsumerRecord::value)
                .containsExactlyElementsOf(before.stream()
                        .map(r -> tuple(r.offset(), r.key(), r.value())).toList());
    }

    @Test
    void createTopicsWithInvalidNamesGetsInvalidTopicException() {
        List<String> invalid = List.of("bad/name", "..", ".", "has space", "x".repeat(250), "");
        try (RawConnection connection = RawConnection.open(node)) {
            short version = connection.commonVersion(ApiKeys.CREATE_TOPICS);
            CreateTopicsRequestData.CreatableTopicCollection topics = new CreateTopicsRequestData.CreatableTopicCollection();
            invalid.forEach(name -> topics.add(new CreateTopicsRequestData.CreatableTopic()
                    .setName(name).setNumPartitions(1).setReplicationFactor((short) 1)));
            CreateTopicsResponseData response = new CreateTopicsResponseData(connection.request(
                    ApiKeys.CREATE_TOPICS, version,
                    new CreateTopicsRequestData().setTopics(topics).setTimeoutMs(10_000)), version);
            for (String name : invalid) {
                CreateTopicsResponseData.CreatableTopicResult result = response.topics().find(name);
                assertThat(result).as("result for topic name '%s'", name).isNotNull();
                assertThat(result.errorCode()).as("error code for topic name '%s'", name)
                        .isEqualTo(Errors.INVALID_TOPIC_EXCEPTION.code());
            }
        }
        try (Admin admin = KafkaSupport.admin(node)) {
            assertThat(KafkaSupport.get(admin.listTopics().names())).doesNotContainAnyElementsOf(invalid);
        }
    }

    @Test
    void recordLargerThanMessageMaxBytesIsRejectedWithMessageTooLarge() {
        String topic = "bad-input-oversized";
        KafkaSupport.createTopic(node, topic, 1);
        try (KafkaProducer<String, String> producer = KafkaSupport.producer(node, Map.of(
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "4194304"))) {
            String tooLarge = "x".repeat(2 * MESSAGE_MAX_BYTES);
            assertThatThrownBy(() -> KafkaSupport.get(producer.send(new ProducerRecord<>(topic, 0, "k", tooLarge))))
                    .hasRootCauseInstanceOf(RecordTooLargeException.class);
            KafkaSupport.get(producer.send(new ProducerRecord<>(topic, 0, "k", "fits")));
        }
        assertThat(KafkaSupport.readPartition(node, new TopicPartition(topic, 0), Duration.ofSeconds(30)))
                .extracting(ConsumerRecord::value).containsExactly("fits");
    }

    @Test
    void idleAndHalfSentConnectionsDoNotBlockOtherClients() {
        List<RawConnection> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                idle.add(RawConnection.open(node));
            }
            RawConnection halfSent = RawConnection.open(node);
            idle.add(halfSent);
            halfSent.sendRaw(ByteBuffer.allocate(4 + 10).putInt(100).array());

            assertBrokerServesAndDataIsIntact();
        } finally {
            idle.forEach(RawConnection::close);
        }
    }

    /** A new Java producer gets a write acknowledged, and the canary topic holds exactly what was written. */
    private static void assertBrokerServesAndDataIsIntact() {
        String value = "canary-" + canaryValues.size();
        try (KafkaProducer<String, String> producer = KafkaSupport.producer(node, Map.of(ProducerConfig.ACKS_CONFIG, "all"))) {
            long offset = KafkaSupport.get(producer.send(new ProducerRecord<>(CANARY_TOPIC, 0, null, value))).offset();
            assertThat(offset).as("offset of %s", value).isEqualTo(canaryValues.size());
        }
        canaryValues.add(value);
        List<ConsumerRecord<String, String>> records = KafkaSupport.readPartition(node,
                new TopicPartition(CANARY_TOPIC, 0), Duration.ofSeconds(30));
        assertThat(records).extracting(ConsumerRecord::value).containsExactlyElementsOf(canaryValues);
    }

    private static Uuid topicId(String topic) {
        try (Admin admin = KafkaSupport.admin(node)) {
            return KafkaSupport.get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic).topicId();
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
