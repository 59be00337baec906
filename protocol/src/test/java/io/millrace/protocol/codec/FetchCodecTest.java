package io.millrace.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.protocol.EncodedResponse;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.FileSlice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.Records;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.FetchResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FetchCodecTest {

    private static final UUID ORDERS_ID = UUID.fromString("6f1c3a52-8d4e-4b7a-9c11-2f3e4d5a6b7c");
    /** Bytes written before the batch, so the slice does not start at file position 0. */
    private static final int PREFIX = 37;

    private final FetchCodec codec = new FetchCodec();

    @TempDir
    Path dir;
    private FileChannel channel;
    private byte[] batchBytes;

    static Stream<Short> versions() {
        return WireFrames.versions(ApiKeys.FETCH);
    }

    @BeforeEach
    void writeSegment() throws IOException {
        MemoryRecords batch = MemoryRecords.withRecords(42L, Compression.NONE,
                new SimpleRecord(1_700_000_000_000L, "k1".getBytes(), "first".getBytes()),
                new SimpleRecord(1_700_000_000_001L, "k2".getBytes(), "second".getBytes()));
        batchBytes = new byte[batch.sizeInBytes()];
        batch.buffer().duplicate().get(batchBytes);
        channel = FileChannel.open(dir.resolve("00000000000000000000.log"),
                StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        ByteBuffer content = ByteBuffer.allocate(PREFIX + batchBytes.length + 11);
        content.put(new byte[PREFIX]).put(batchBytes).put(new byte[11]).flip();
        while (content.hasRemaining()) {
            channel.write(content);
        }
    }

    @AfterEach
    void closeSegment() throws IOException {
        channel.close();
    }

    private static FetchRequestData request(short version, int replicaId) {
        FetchRequestData.FetchTopic topic = new FetchRequestData.FetchTopic();
        if (version >= 13) {
            topic.setTopicId(toKafka(ORDERS_ID));
        } else {
            topic.setTopic("orders");
        }
        topic.setPartitions(List.of(
                new FetchRequestData.FetchPartition().setPartition(0).setCurrentLeaderEpoch(5).setFetchOffset(42L)
                        .setLogStartOffset(3L).setPartitionMaxBytes(1_048_576),
                new FetchRequestData.FetchPartition().setPartition(2).setCurrentLeaderEpoch(5).setFetchOffset(7L)
                        .setLogStartOffset(0L).setPartitionMaxBytes(65_536)));
        FetchRequestData data = new FetchRequestData().setMaxWaitMs(500).setMinBytes(1).setMaxBytes(52_428_800)
                .setIsolationLevel((byte) 1).setSessionId(0).setSessionEpoch(-1)
                .setTopics(new ArrayList<>(List.of(topic)));
        if (version >= 15) {
            data.setReplicaState(new FetchRequestData.ReplicaState().setReplicaId(replicaId));
        } else {
            data.setReplicaId(replicaId);
        }
        return data;
    }

    @ParameterizedTest
    @MethodSource("versions")
    void decodesConsumerRequest(short version) {
        FetchCodec.Request request = codec.decodeRequest(
                WireFrames.requestBody(ApiKeys.FETCH, version, 51, request(version, -1)), version);

        assertThat(request.replicaId()).isEqualTo(-1);
        assertThat(request.maxWaitMs()).isEqualTo(500);
        assertThat(request.minBytes()).isEqualTo(1);
        assertThat(request.maxBytes()).isEqualTo(52_428_800);
        assertThat(request.isolationLevel()).isEqualTo((byte) 1);
        assertThat(request.sessionId()).isZero();
        assertThat(request.sessionEpoch()).isEqualTo(-1);
        assertThat(request.topics()).hasSize(1);
        FetchCodec.TopicRequest topic = request.topics().get(0);
        if (version >= 13) {
            assertThat(topic.topicId()).isEqualTo(ORDERS_ID);
            assertThat(topic.name()).isNull();
        } else {
            assertThat(topic.name()).isEqualTo("orders");
            assertThat(topic.topicId()).isNull();
        }
        assertThat(topic.partitions()).containsExactly(
                new FetchCodec.PartitionRequest(0, version >= 9 ? 5 : -1, 42L, version >= 5 ? 3L : -1L, 1_048_576),
                new FetchCodec.PartitionRequest(2, version >= 9 ? 5 : -1, 7L, version >= 5 ? 0L : -1L, 65_536));
    }

    @ParameterizedTest
    @MethodSource("versions")
    void decodesFollowerReplicaId(short version) {
        FetchCodec.Request request = codec.decodeRequest(
                WireFrames.requestBody(ApiKeys.FETCH, version, 52, request(version, 3)), version);

        assertThat(request.replicaId()).isEqualTo(3);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesRecordsAsAZeroCopyFileRegion(short version) {
        FileSlice slice = new FileSlice(channel, PREFIX, batchBytes.length);
        FetchCodec.Response response = new FetchCodec.Response(ErrorCode.NONE, 0, List.of(new FetchCodec.TopicResponse(
                "orders", ORDERS_ID, List.of(
                        new FetchCodec.PartitionResponse(0, ErrorCode.NONE, 44L, 44L, 3L, slice),
                        new FetchCodec.PartitionResponse(2, ErrorCode.NONE, 7L, 7L, 0L, null),
                        FetchCodec.PartitionResponse.failed(4, ErrorCode.OFFSET_OUT_OF_RANGE)))));

        EncodedResponse encoded = codec.encodeResponse(response, version, 53);

        assertThat(WireFrames.partKinds(encoded)).containsExactly("buf", "file", "buf");
        FetchResponse parsed = WireFrames.parseResponse(encoded, ApiKeys.FETCH, version, 53);
        // The segment owns the channel: releasing the region must not close it.
        assertThat(channel.isOpen()).isTrue();

        FetchResponseData data = parsed.data();
        if (version >= 7) {
            assertThat(data.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(data.sessionId()).isZero();
        }
        assertThat(data.responses()).hasSize(1);
        FetchResponseData.FetchableTopicResponse topic = data.responses().get(0);
        if (version >= 13) {
            assertThat(topic.topicId()).isEqualTo(toKafka(ORDERS_ID));
        } else {
            assertThat(topic.topic()).isEqualTo("orders");
        }
        assertThat(topic.partitions()).extracting(FetchResponseData.PartitionData::partitionIndex)
                .containsExactly(0, 2, 4);

        FetchResponseData.PartitionData p0 = topic.partitions().get(0);
        assertThat(p0.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(p0.highWatermark()).isEqualTo(44L);
        assertThat(p0.lastStableOffset()).isEqualTo(44L);
        assertThat(p0.logStartOffset()).isEqualTo(version >= 5 ? 3L : -1L);
        Records records = FetchResponse.recordsOrFail(p0);
        assertThat(records.sizeInBytes()).isEqualTo(batchBytes.length);
        ByteBuffer recordBytes = ((MemoryRecords) records).buffer().duplicate();
        byte[] actual = new byte[recordBytes.remaining()];
        recordBytes.get(actual);
        assertThat(actual).isEqualTo(batchBytes);
        List<String> values = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        for (Record record : records.records()) {
            offsets.add(record.offset());
            byte[] value = new byte[record.valueSize()];
            record.value().duplicate().get(value);
            values.add(new String(value));
        }
        assertThat(offsets).containsExactly(42L, 43L);
        assertThat(values).containsExactly("first", "second");

        FetchResponseData.PartitionData p2 = topic.partitions().get(1);
        assertThat(p2.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(p2.highWatermark()).isEqualTo(7L);
        assertThat(FetchResponse.recordsSize(p2)).isZero();

        FetchResponseData.PartitionData p4 = topic.partitions().get(2);
        assertThat(p4.errorCode()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE.code());
        assertThat(p4.highWatermark()).isEqualTo(-1L);
        assertThat(FetchResponse.recordsSize(p4)).isZero();
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesResponseWithoutRecordsAsBuffersOnly(short version) {
        FetchCodec.Response response = new FetchCodec.Response(ErrorCode.NONE, 0, List.of(new FetchCodec.TopicResponse(
                "orders", ORDERS_ID, List.of(new FetchCodec.PartitionResponse(0, ErrorCode.NONE, 44L, 40L, 0L, null)))));

        EncodedResponse encoded = codec.encodeResponse(response, version, 54);

        assertThat(WireFrames.partKinds(encoded)).containsOnly("buf");
        FetchResponse parsed = WireFrames.parseResponse(encoded, ApiKeys.FETCH, version, 54);
        FetchResponseData.PartitionData p0 = parsed.data().responses().get(0).partitions().get(0);
        assertThat(p0.highWatermark()).isEqualTo(44L);
        assertThat(p0.lastStableOffset()).isEqualTo(40L);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesErrorResponse(short version) {
        FetchCodec.Request request = codec.decodeRequest(
                WireFrames.requestBody(ApiKeys.FETCH, version, 55, request(version, -1)), version);

        FetchResponse parsed = WireFrames.parseResponse(
                codec.encodeErrorResponse(request, version, 55, ErrorCode.NOT_LEADER_OR_FOLLOWER),
                ApiKeys.FETCH, version, 55);

        FetchResponseData data = parsed.data();
        if (version >= 7) {
            assertThat(data.errorCode()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());
            assertThat(data.sessionId()).isZero();
        }
        assertThat(data.responses()).hasSize(1);
        FetchResponseData.FetchableTopicResponse topic = data.responses().get(0);
        if (version >= 13) {
            assertThat(topic.topicId()).isEqualTo(toKafka(ORDERS_ID));
        } else {
            assertThat(topic.topic()).isEqualTo("orders");
        }
        assertThat(topic.partitions()).extracting(FetchResponseData.PartitionData::partitionIndex).containsExactly(0, 2);
        assertThat(topic.partitions()).allSatisfy(p -> {
            assertThat(p.errorCode()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());
            assertThat(p.highWatermark()).isEqualTo(-1L);
            assertThat(FetchResponse.recordsSize(p)).isZero();
        });
    }

    private static Uuid toKafka(UUID id) {
        return new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }
}
