package io.millrace.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.protocol.ApiKey;
import io.millrace.protocol.ErrorCode;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OffsetCommitCodecTest {

    private static final UUID ORDERS_ID = UUID.fromString("6f1c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f");

    private final OffsetCommitCodec codec = new OffsetCommitCodec();

    static Stream<Short> versions() {
        return IntStream.rangeClosed(ApiKey.OFFSET_COMMIT.oldestVersion(), ApiKey.OFFSET_COMMIT.latestVersion())
                .mapToObj(v -> (short) v);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void decodesRequest(short version) {
        OffsetCommitRequestData.OffsetCommitRequestTopic topic = new OffsetCommitRequestData.OffsetCommitRequestTopic()
                .setPartitions(List.of(
                        new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0)
                                .setCommittedOffset(42).setCommittedLeaderEpoch(3).setCommittedMetadata("meta"),
                        new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(1)
                                .setCommittedOffset(43).setCommittedMetadata(null)));
        if (version >= 10) {
            topic.setTopicId(Codecs.toKafka(ORDERS_ID));
        } else {
            topic.setName("orders");
        }
        OffsetCommitRequestData data = new OffsetCommitRequestData()
                .setGroupId("payments")
                .setGenerationIdOrMemberEpoch(4)
                .setMemberId("m-1")
                .setRetentionTimeMs(5_000)
                .setTopics(List.of(topic));
        if (version >= 7) {
            data.setGroupInstanceId("instance-1");
        }

        OffsetCommitCodec.Request request = codec.decodeRequest(CodecTestSupport.requestBody(data, version), version);

        assertThat(request.groupId()).isEqualTo("payments");
        assertThat(request.generationId()).isEqualTo(4);
        assertThat(request.memberId()).isEqualTo("m-1");
        assertThat(request.groupInstanceId()).isEqualTo(version >= 7 ? "instance-1" : null);
        assertThat(request.retentionTimeMs()).isEqualTo(version <= 4 ? 5_000L : -1L);
        assertThat(request.topics()).containsExactly(new OffsetCommitCodec.TopicRequest(
                version >= 10 ? null : "orders", version >= 10 ? ORDERS_ID : null, List.of(
                        new OffsetCommitCodec.PartitionRequest(0, 42, version >= 6 ? 3 : -1, "meta"),
                        new OffsetCommitCodec.PartitionRequest(1, 43, -1, null))));
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesResponse(short version) {
        OffsetCommitCodec.Response response = new OffsetCommitCodec.Response(List.of(new OffsetCommitCodec.TopicResult(
                version >= 10 ? null : "orders", version >= 10 ? ORDERS_ID : null, List.of(
                        new OffsetCommitCodec.PartitionResult(0, ErrorCode.NONE),
                        new OffsetCommitCodec.PartitionResult(1, ErrorCode.OFFSET_METADATA_TOO_LARGE)))));

        OffsetCommitResponseData data = CodecTestSupport.<OffsetCommitResponse>parseResponse(
                codec.encodeResponse(response, version, 51), ApiKeys.OFFSET_COMMIT, version, 51).data();

        assertThat(data.throttleTimeMs()).isZero();
        assertThat(data.topics()).singleElement().satisfies(topic -> {
            if (version >= 10) {
                assertThat(topic.topicId()).isEqualTo(Codecs.toKafka(ORDERS_ID));
            } else {
                assertThat(topic.name()).isEqualTo("orders");
                assertThat(topic.topicId()).isEqualTo(Uuid.ZERO_UUID);
            }
            assertThat(topic.partitions()).extracting(OffsetCommitResponseData.OffsetCommitResponsePartition::partitionIndex)
                    .containsExactly(0, 1);
            assertThat(topic.partitions()).extracting(OffsetCommitResponseData.OffsetCommitResponsePartition::errorCode)
                    .containsExactly(Errors.NONE.code(), Errors.OFFSET_METADATA_TOO_LARGE.code());
        });
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesErrorResponseOnEveryPartition(short version) {
        OffsetCommitCodec.Request request = new OffsetCommitCodec.Request("payments", 4, "m-1", null, -1, List.of(
                new OffsetCommitCodec.TopicRequest(version >= 10 ? null : "orders", version >= 10 ? ORDERS_ID : null,
                        List.of(new OffsetCommitCodec.PartitionRequest(0, 1, -1, null),
                                new OffsetCommitCodec.PartitionRequest(2, 3, -1, "")))));

        OffsetCommitResponse parsed = CodecTestSupport.parseResponse(
                codec.encodeErrorResponse(request, version, 52, ErrorCode.NOT_COORDINATOR),
                ApiKeys.OFFSET_COMMIT, version, 52);

        assertThat(parsed.data().topics()).singleElement().satisfies(topic -> {
            assertThat(topic.partitions()).extracting(OffsetCommitResponseData.OffsetCommitResponsePartition::partitionIndex)
                    .containsExactly(0, 2);
            assertThat(topic.partitions()).allSatisfy(p -> assertThat(p.errorCode()).isEqualTo(Errors.NOT_COORDINATOR.code()));
        });
    }
}
