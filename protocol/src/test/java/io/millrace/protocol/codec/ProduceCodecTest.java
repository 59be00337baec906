package io.millrace.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.protocol.ErrorCode;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ProduceCodecTest {

    private static final UUID ORDERS_ID = UUID.fromString("6f1c3a52-8d4e-4b7a-9c11-2f3e4d5a6b7c");

    private final ProduceCodec codec = new ProduceCodec();

    static Stream<Short> versions() {
        return WireFrames.versions(ApiKeys.PRODUCE);
    }

    private static MemoryRecords batch(String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(1_700_000_000_000L + i, ("k" + i).getBytes(), values[i].getBytes());
        }
        return MemoryRecords.withRecords(Compression.NONE, records);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    private static ProduceRequestData.TopicProduceData topic(short version, MemoryRecords p0, MemoryRecords p1) {
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData();
        if (version >= 13) {
            topic.setTopicId(toKafka(ORDERS_ID));
        } else {
            topic.setName("orders");
        }
        topic.setPartitionData(List.of(
                new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(p0),
                new ProduceRequestData.PartitionProduceData().setIndex(3).setRecords(p1)));
        return topic;
    }

    @ParameterizedTest
    @MethodSource("versions")
    void decodesRequestWithRecordsAsSent(short version) {
        MemoryRecords p0 = batch("a", "b");
        MemoryRecords p1 = batch("c");
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(topic(version, p0, p1));
        ProduceRequestData data = new ProduceRequestData().setTransactionalId(version >= 3 ? "txn-1" : null)
                .setAcks((short) -1).setTimeoutMs(30_000).setTopicData(topics);

        ProduceCodec.Request request = codec.decodeRequest(
                WireFrames.requestBody(ApiKeys.PRODUCE, version, 41, data), version);

        assertThat(request.transactionalId()).isEqualTo("txn-1");
        assertThat(request.acks()).isEqualTo((short) -1);
        assertThat(request.timeoutMs()).isEqualTo(30_000);
        assertThat(request.topics()).hasSize(1);
        ProduceCodec.TopicData topic = request.topics().get(0);
        if (version >= 13) {
            assertThat(topic.topicId()).isEqualTo(ORDERS_ID);
        } else {
            assertThat(topic.name()).isEqualTo("orders");
            assertThat(topic.topicId()).isNull();
        }
        assertThat(topic.partitions()).extracting(ProduceCodec.PartitionData::index).containsExactly(0, 3);
        assertThat(bytes(topic.partitions().get(0).records())).isEqualTo(bytes(p0.buffer()));
        assertThat(bytes(topic.partitions().get(1).records())).isEqualTo(bytes(p1.buffer()));
    }

    @ParameterizedTest
    @MethodSource("versions")
    void decodesAcksZeroWithoutTransactionalId(short version) {
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(topic(version, batch("x"), batch("y")));
        ProduceRequestData data = new ProduceRequestData().setTransactionalId(null)
                .setAcks((short) 0).setTimeoutMs(1).setTopicData(topics);

        ProduceCodec.Request request = codec.decodeRequest(
                WireFrames.requestBody(ApiKeys.PRODUCE, version, 42, data), version);

        assertThat(request.transactionalId()).isNull();
        assertThat(request.acks()).isZero();
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesResponse(short version) {
        ProduceCodec.Response response = new ProduceCodec.Response(List.of(new ProduceCodec.TopicResponse(
                "orders", ORDERS_ID, List.of(
                        new ProduceCodec.PartitionResponse(0, ErrorCode.NONE, "ignored", 100L, 1_700_000_000_123L, 7L),
                        ProduceCodec.PartitionResponse.failed(3, ErrorCode.NOT_LEADER_OR_FOLLOWER, "moved")))));

        ProduceResponse parsed = WireFrames.parseResponse(codec.encodeResponse(response, version, 43),
                ApiKeys.PRODUCE, version, 43);

        assertThat(parsed.data().responses()).hasSize(1);
        ProduceResponseData.TopicProduceResponse topic = parsed.data().responses().iterator().next();
        if (version >= 13) {
            assertThat(topic.topicId()).isEqualTo(toKafka(ORDERS_ID));
            assertThat(topic.name()).isEmpty();
        } else {
            assertThat(topic.name()).isEqualTo("orders");
            assertThat(topic.topicId()).isEqualTo(Uuid.ZERO_UUID);
        }
        assertThat(topic.partitionResponses()).hasSize(2);
        ProduceResponseData.PartitionProduceResponse ok = topic.partitionResponses().get(0);
        assertThat(ok.index()).isEqualTo(0);
        assertThat(ok.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(ok.baseOffset()).isEqualTo(100L);
        assertThat(ok.logAppendTimeMs()).isEqualTo(1_700_000_000_123L);
        assertThat(ok.logStartOffset()).isEqualTo(version >= 5 ? 7L : -1L);
        assertThat(ok.errorMessage()).isNull();
        ProduceResponseData.PartitionProduceResponse failed = topic.partitionResponses().get(1);
        assertThat(failed.index()).isEqualTo(3);
        assertThat(failed.errorCode()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());
        assertThat(failed.baseOffset()).isEqualTo(-1L);
        assertThat(failed.errorMessage()).isEqualTo(version >= 8 ? "moved" : null);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesErrorResponse(short version) {
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(topic(version, batch("a"), batch("b")));
        ProduceRequestData data = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(5).setTopicData(topics);
        ProduceCodec.Request request = codec.decodeRequest(
                WireFrames.requestBody(ApiKeys.PRODUCE, version, 44, data), version);

        ProduceResponse parsed = WireFrames.parseResponse(
                codec.encodeErrorResponse(request, version, 44, ErrorCode.TOPIC_AUTHORIZATION_FAILED),
                ApiKeys.PRODUCE, version, 44);

        ProduceResponseData.TopicProduceResponse topic = parsed.data().responses().iterator().next();
        if (version >= 13) {
            assertThat(topic.topicId()).isEqualTo(toKafka(ORDERS_ID));
        } else {
            assertThat(topic.name()).isEqualTo("orders");
        }
        assertThat(topic.partitionResponses()).extracting(ProduceResponseData.PartitionProduceResponse::index)
                .containsExactly(0, 3);
        assertThat(topic.partitionResponses()).allSatisfy(p -> {
            assertThat(p.errorCode()).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
            assertThat(p.baseOffset()).isEqualTo(-1L);
        });
    }

    private static Uuid toKafka(UUID id) {
        return new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }
}
