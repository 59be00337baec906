package io.millrace.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.MetadataResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MetadataCodecTest {

    private static final UUID ORDERS_ID = UUID.fromString("6f1c3a52-8d4e-4b7a-9c11-2f3e4d5a6b7c");
    private static final UUID EVENTS_ID = UUID.fromString("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");

    private final MetadataCodec codec = new MetadataCodec();

    static Stream<Short> versions() {
        return WireFrames.versions(ApiKeys.METADATA);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void decodesNamedTopics(short version) {
        List<MetadataRequestData.MetadataRequestTopic> topics = new ArrayList<>();
        topics.add(new MetadataRequestData.MetadataRequestTopic().setName("orders"));
        if (version >= 10) {
            topics.add(new MetadataRequestData.MetadataRequestTopic().setName(null).setTopicId(toKafka(EVENTS_ID)));
        }
        // The flag is on the wire from version 4; kafka-clients refuses to write false before that.
        MetadataRequestData data = new MetadataRequestData().setTopics(topics).setAllowAutoTopicCreation(version < 4);

        MetadataCodec.Request request = codec.decodeRequest(
                WireFrames.requestBody(ApiKeys.METADATA, version, 31, data), version);

        List<MetadataCodec.TopicRef> expected = new ArrayList<>();
        expected.add(new MetadataCodec.TopicRef("orders", null));
        if (version >= 10) {
            expected.add(new MetadataCodec.TopicRef(null, EVENTS_ID));
        }
        assertThat(request.topics()).containsExactlyElementsOf(expected);
        // Before version 4 there is no flag and Kafka always allowed auto-creation.
        assertThat(request.allowAutoTopicCreation()).isEqualTo(version < 4);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void decodesAllTopics(short version) {
        // Version 0 has no null list: an empty one means every topic.
        MetadataRequestData data = new MetadataRequestData()
                .setTopics(version == 0 ? new ArrayList<>() : null).setAllowAutoTopicCreation(true);

        MetadataCodec.Request request = codec.decodeRequest(
                WireFrames.requestBody(ApiKeys.METADATA, version, 32, data), version);

        assertThat(request.topics()).isNull();
        assertThat(request.allowAutoTopicCreation()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesResponse(short version) {
        MetadataCodec.Response response = new MetadataCodec.Response(
                List.of(new MetadataCodec.Broker(1, "broker-1.local", 9092, "rack-a"),
                        new MetadataCodec.Broker(2, "broker-2.local", 9093, null)),
                "cluster-xyz", 1,
                List.of(new MetadataCodec.Topic(ErrorCode.NONE, "orders", ORDERS_ID, false, List.of(
                                new MetadataCodec.Partition(ErrorCode.NONE, 0, 1, 5, List.of(1, 2), List.of(1, 2), List.of()),
                                new MetadataCodec.Partition(ErrorCode.LEADER_NOT_AVAILABLE, 1, -1, 6, List.of(2, 1),
                                        List.of(), List.of(2)))),
                        new MetadataCodec.Topic(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "missing", null, false, List.of())));

        MetadataResponse parsed = WireFrames.parseResponse(codec.encodeResponse(response, version, 33),
                ApiKeys.METADATA, version, 33);
        MetadataResponseData data = parsed.data();

        assertThat(data.brokers()).hasSize(2);
        MetadataResponseData.MetadataResponseBroker b1 = data.brokers().find(1);
        assertThat(b1.host()).isEqualTo("broker-1.local");
        assertThat(b1.port()).isEqualTo(9092);
        assertThat(b1.rack()).isEqualTo(version >= 1 ? "rack-a" : null);
        assertThat(data.brokers().find(2).port()).isEqualTo(9093);
        assertThat(data.brokers().find(2).rack()).isNull();
        if (version >= 2) {
            assertThat(data.clusterId()).isEqualTo("cluster-xyz");
        }
        if (version >= 1) {
            assertThat(data.controllerId()).isEqualTo(1);
        }

        assertThat(data.topics()).hasSize(2);
        MetadataResponseData.MetadataResponseTopic orders = data.topics().find("orders");
        assertThat(orders.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(orders.isInternal()).isFalse();
        assertThat(orders.topicId()).isEqualTo(version >= 10 ? toKafka(ORDERS_ID) : Uuid.ZERO_UUID);
        assertThat(orders.partitions()).hasSize(2);
        MetadataResponseData.MetadataResponsePartition p0 = orders.partitions().get(0);
        assertThat(p0.partitionIndex()).isEqualTo(0);
        assertThat(p0.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(p0.leaderId()).isEqualTo(1);
        assertThat(p0.leaderEpoch()).isEqualTo(version >= 7 ? 5 : -1);
        assertThat(p0.replicaNodes()).containsExactly(1, 2);
        assertThat(p0.isrNodes()).containsExactly(1, 2);
        MetadataResponseData.MetadataResponsePartition p1 = orders.partitions().get(1);
        assertThat(p1.partitionIndex()).isEqualTo(1);
        assertThat(p1.errorCode()).isEqualTo(Errors.LEADER_NOT_AVAILABLE.code());
        assertThat(p1.leaderId()).isEqualTo(-1);
        assertThat(p1.isrNodes()).isEmpty();
        assertThat(p1.offlineReplicas()).isEqualTo(version >= 5 ? List.of(2) : List.of());
        MetadataResponseData.MetadataResponseTopic missing = data.topics().find("missing");
        assertThat(missing.errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(missing.topicId()).isEqualTo(Uuid.ZERO_UUID);
        assertThat(missing.partitions()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesErrorResponse(short version) {
        MetadataCodec.Request request = new MetadataCodec.Request(
                List.of(new MetadataCodec.TopicRef("orders", null), new MetadataCodec.TopicRef("events", null)), true);

        MetadataResponse parsed = WireFrames.parseResponse(
                codec.encodeErrorResponse(request, version, 34, ErrorCode.TOPIC_AUTHORIZATION_FAILED),
                ApiKeys.METADATA, version, 34);

        assertThat(parsed.data().brokers()).isEmpty();
        assertThat(parsed.data().topics()).hasSize(2);
        for (String name : List.of("orders", "events")) {
            assertThat(parsed.data().topics().find(name).errorCode())
                    .isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        }
    }

    /** Names are nullable in the response from version 12, the first where clients ask by id. */
    static Stream<Short> versionsWithTopicIdRequests() {
        return versions().filter(version -> version >= 12);
    }

    @ParameterizedTest
    @MethodSource("versionsWithTopicIdRequests")
    void encodesErrorResponseForTopicsAskedById(short version) {
        MetadataCodec.Request request = new MetadataCodec.Request(List.of(new MetadataCodec.TopicRef(null, EVENTS_ID)), false);

        MetadataResponse parsed = WireFrames.parseResponse(
                codec.encodeErrorResponse(request, version, 35, ErrorCode.UNKNOWN_TOPIC_ID),
                ApiKeys.METADATA, version, 35);

        assertThat(parsed.data().topics()).singleElement().satisfies(topic -> {
            assertThat(topic.name()).isNull();
            assertThat(topic.topicId()).isEqualTo(toKafka(EVENTS_ID));
            assertThat(topic.errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
        });
    }

    private static Uuid toKafka(UUID id) {
        return new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }
}
