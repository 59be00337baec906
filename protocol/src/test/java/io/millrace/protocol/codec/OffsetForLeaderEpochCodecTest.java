package io.millrace.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.protocol.ErrorCode;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OffsetForLeaderEpochCodecTest {

    private final OffsetForLeaderEpochCodec codec = new OffsetForLeaderEpochCodec();

    static Stream<Short> versions() {
        return WireFrames.versions(ApiKeys.OFFSET_FOR_LEADER_EPOCH);
    }

    private static OffsetForLeaderEpochRequestData request(int replicaId) {
        OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection topics =
                new OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection();
        topics.add(new OffsetForLeaderEpochRequestData.OffsetForLeaderTopic().setTopic("orders").setPartitions(List.of(
                new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition().setPartition(0)
                        .setCurrentLeaderEpoch(9).setLeaderEpoch(7),
                new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition().setPartition(1)
                        .setCurrentLeaderEpoch(9).setLeaderEpoch(8))));
        return new OffsetForLeaderEpochRequestData().setReplicaId(replicaId).setTopics(topics);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void decodesRequest(short version) {
        OffsetForLeaderEpochCodec.Request decoded = codec.decodeRequest(
                WireFrames.requestBody(ApiKeys.OFFSET_FOR_LEADER_EPOCH, version, 71, request(2)), version);

        // The replica id is on the wire from version 3; before that Kafka's default is -2 (debugging).
        assertThat(decoded.replicaId()).isEqualTo(version >= 3 ? 2 : -2);
        assertThat(decoded.topics()).containsExactly(new OffsetForLeaderEpochCodec.TopicRequest("orders", List.of(
                new OffsetForLeaderEpochCodec.PartitionRequest(0, 9, 7),
                new OffsetForLeaderEpochCodec.PartitionRequest(1, 9, 8))));
    }

    @ParameterizedTest
    @MethodSource("versions")
    void decodesConsumerRequest(short version) {
        OffsetForLeaderEpochCodec.Request decoded = codec.decodeRequest(
                WireFrames.requestBody(ApiKeys.OFFSET_FOR_LEADER_EPOCH, version, 72, request(-1)), version);

        assertThat(decoded.replicaId()).isEqualTo(version >= 3 ? -1 : -2);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesResponse(short version) {
        OffsetForLeaderEpochCodec.Response response = new OffsetForLeaderEpochCodec.Response(List.of(
                new OffsetForLeaderEpochCodec.TopicResponse("orders", List.of(
                        new OffsetForLeaderEpochCodec.PartitionResponse(0, ErrorCode.NONE, 7, 1_000L),
                        OffsetForLeaderEpochCodec.PartitionResponse.failed(1, ErrorCode.FENCED_LEADER_EPOCH)))));

        OffsetsForLeaderEpochResponse parsed = WireFrames.parseResponse(codec.encodeResponse(response, version, 73),
                ApiKeys.OFFSET_FOR_LEADER_EPOCH, version, 73);

        assertThat(parsed.data().topics()).hasSize(1);
        OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult topic = parsed.data().topics().find("orders");
        assertThat(topic.partitions()).hasSize(2);
        OffsetForLeaderEpochResponseData.EpochEndOffset p0 = topic.partitions().get(0);
        assertThat(p0.partition()).isEqualTo(0);
        assertThat(p0.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(p0.leaderEpoch()).isEqualTo(7);
        assertThat(p0.endOffset()).isEqualTo(1_000L);
        OffsetForLeaderEpochResponseData.EpochEndOffset p1 = topic.partitions().get(1);
        assertThat(p1.partition()).isEqualTo(1);
        assertThat(p1.errorCode()).isEqualTo(Errors.FENCED_LEADER_EPOCH.code());
        assertThat(p1.leaderEpoch()).isEqualTo(-1);
        assertThat(p1.endOffset()).isEqualTo(-1L);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesErrorResponse(short version) {
        OffsetForLeaderEpochCodec.Request decoded = codec.decodeRequest(
                WireFrames.requestBody(ApiKeys.OFFSET_FOR_LEADER_EPOCH, version, 74, request(1)), version);

        OffsetsForLeaderEpochResponse parsed = WireFrames.parseResponse(
                codec.encodeErrorResponse(decoded, version, 74, ErrorCode.NOT_LEADER_OR_FOLLOWER),
                ApiKeys.OFFSET_FOR_LEADER_EPOCH, version, 74);

        OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult topic = parsed.data().topics().find("orders");
        assertThat(topic.partitions()).extracting(OffsetForLeaderEpochResponseData.EpochEndOffset::partition)
                .containsExactly(0, 1);
        assertThat(topic.partitions()).allSatisfy(p -> {
            assertThat(p.errorCode()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());
            assertThat(p.endOffset()).isEqualTo(-1L);
        });
    }
}
