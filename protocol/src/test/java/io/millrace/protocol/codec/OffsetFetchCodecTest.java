package io.millrace.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.protocol.ApiKey;
import io.millrace.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OffsetFetchCodecTest {

    private static final UUID ORDERS_ID = UUID.fromString("6f1c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f");

    private final OffsetFetchCodec codec = new OffsetFetchCodec();

    static Stream<Short> versions() {
        return IntStream.rangeClosed(ApiKey.OFFSET_FETCH.oldestVersion(), ApiKey.OFFSET_FETCH.latestVersion())
                .mapToObj(v -> (short) v);
    }

    /** Versions where "all topics" (a null topic list) is on the wire. */
    static Stream<Short> allTopicsVersions() {
        return versions().filter(v -> v >= 2);
    }

    private static String name(short version) {
        return version >= 10 ? null : "orders";
    }

    private static UUID id(short version) {
        return version >= 10 ? ORDERS_ID : null;
    }

    @ParameterizedTest
    @MethodSource("versions")
    void decodesRequest(short version) {
        OffsetFetchRequestData data = new OffsetFetchRequestData();
        if (version >= 8) {
            OffsetFetchRequestData.OffsetFetchRequestTopics topic = new OffsetFetchRequestData.OffsetFetchRequestTopics()
                    .setPartitionIndexes(List.of(0, 1));
            if (version >= 10) {
                topic.setTopicId(Codecs.toKafka(ORDERS_ID));
            } else {
                topic.setName("orders");
            }
            data.setGroups(List.of(
                    new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("payments")
                            .setMemberId("m-1").setMemberEpoch(5).setTopics(List.of(topic)),
                    new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("billing").setTopics(null)));
        } else {
            data.setGroupId("payments").setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopic()
                    .setName("orders").setPartitionIndexes(List.of(0, 1))));
        }
        if (version >= 7) {
            data.setRequireStable(true);
        }

        OffsetFetchCodec.Request request = codec.decodeRequest(CodecTestSupport.requestBody(data, version), version);

        assertThat(request.requireStable()).isEqualTo(version >= 7);
        List<OffsetFetchCodec.GroupRequest> expected = new ArrayList<>();
        expected.add(new OffsetFetchCodec.GroupRequest("payments", version >= 9 ? "m-1" : null, version >= 9 ? 5 : -1,
                List.of(new OffsetFetchCodec.TopicRequest(name(version), id(version), List.of(0, 1)))));
        if (version >= 8) {
            expected.add(new OffsetFetchCodec.GroupRequest("billing", null, -1, null));
        }
        assertThat(request.groups()).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("allTopicsVersions")
    void decodesAllTopicsAsNull(short version) {
        OffsetFetchRequestData data = new OffsetFetchRequestData();
        if (version >= 8) {
            data.setGroups(List.of(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("payments").setTopics(null)));
        } else {
            data.setGroupId("payments").setTopics(null);
        }

        OffsetFetchCodec.Request request = codec.decodeRequest(CodecTestSupport.requestBody(data, version), version);

        assertThat(request.groups()).containsExactly(new OffsetFetchCodec.GroupRequest("payments", null, -1, null));
        assertThat(request.requireStable()).isFalse();
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesResponse(short version) {
        OffsetFetchCodec.Response response = new OffsetFetchCodec.Response(List.of(
                new OffsetFetchCodec.GroupResult("payments", ErrorCode.NONE, List.of(new OffsetFetchCodec.TopicResult(
                        name(version), id(version), List.of(
                                new OffsetFetchCodec.PartitionResult(0, 42, 3, "meta", ErrorCode.NONE),
                                new OffsetFetchCodec.PartitionResult(1, -1, -1, null, ErrorCode.UNSTABLE_OFFSET_COMMIT))))),
                new OffsetFetchCodec.GroupResult("billing", ErrorCode.GROUP_AUTHORIZATION_FAILED, List.of())));

        OffsetFetchResponseData data = CodecTestSupport.<OffsetFetchResponse>parseResponse(
                codec.encodeResponse(response, version, 61), ApiKeys.OFFSET_FETCH, version, 61).data();

        assertThat(data.throttleTimeMs()).isZero();
        if (version >= 8) {
            assertThat(data.topics()).isEmpty();
            assertThat(data.groups()).hasSize(2);
            OffsetFetchResponseData.OffsetFetchResponseGroup first = data.groups().get(0);
            assertThat(first.groupId()).isEqualTo("payments");
            assertThat(first.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(first.topics()).singleElement().satisfies(topic -> {
                if (version >= 10) {
                    assertThat(topic.topicId()).isEqualTo(Codecs.toKafka(ORDERS_ID));
                } else {
                    assertThat(topic.name()).isEqualTo("orders");
                }
                assertThat(topic.partitions()).hasSize(2);
                OffsetFetchResponseData.OffsetFetchResponsePartitions p0 = topic.partitions().get(0);
                assertThat(p0.partitionIndex()).isZero();
                assertThat(p0.committedOffset()).isEqualTo(42);
                assertThat(p0.committedLeaderEpoch()).isEqualTo(3);
                assertThat(p0.metadata()).isEqualTo("meta");
                assertThat(p0.errorCode()).isEqualTo(Errors.NONE.code());
                OffsetFetchResponseData.OffsetFetchResponsePartitions p1 = topic.partitions().get(1);
                assertThat(p1.committedOffset()).isEqualTo(-1);
                assertThat(p1.metadata()).isNull();
                assertThat(p1.errorCode()).isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT.code());
            });
            OffsetFetchResponseData.OffsetFetchResponseGroup second = data.groups().get(1);
            assertThat(second.groupId()).isEqualTo("billing");
            assertThat(second.errorCode()).isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED.code());
            assertThat(second.topics()).isEmpty();
        } else {
            assertThat(data.groups()).isEmpty();
            assertThat(data.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(data.topics()).singleElement().satisfies(topic -> {
                assertThat(topic.name()).isEqualTo("orders");
                assertThat(topic.partitions()).hasSize(2);
                OffsetFetchResponseData.OffsetFetchResponsePartition p0 = topic.partitions().get(0);
                assertThat(p0.partitionIndex()).isZero();
                assertThat(p0.committedOffset()).isEqualTo(42);
                assertThat(p0.committedLeaderEpoch()).isEqualTo(version >= 5 ? 3 : -1);
                assertThat(p0.metadata()).isEqualTo("meta");
                assertThat(p0.errorCode()).isEqualTo(Errors.NONE.code());
                OffsetFetchResponseData.OffsetFetchResponsePartition p1 = topic.partitions().get(1);
                assertThat(p1.partitionIndex()).isEqualTo(1);
                assertThat(p1.metadata()).isNull();
                assertThat(p1.errorCode()).isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT.code());
            });
        }
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesGroupErrorWhereTheClientLooks(short version) {
        OffsetFetchCodec.Response response = new OffsetFetchCodec.Response(List.of(new OffsetFetchCodec.GroupResult(
                "payments", ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, List.of(new OffsetFetchCodec.TopicResult(
                        name(version), id(version), List.of(new OffsetFetchCodec.PartitionResult(0, 7, -1, "", ErrorCode.NONE)))))));

        OffsetFetchResponse parsed = CodecTestSupport.parseResponse(
                codec.encodeResponse(response, version, 62), ApiKeys.OFFSET_FETCH, version, 62);
        OffsetFetchResponseData data = parsed.data();

        short expected = Errors.COORDINATOR_LOAD_IN_PROGRESS.code();
        if (version >= 8) {
            assertThat(data.groups()).singleElement().satisfies(g -> assertThat(g.errorCode()).isEqualTo(expected));
        } else if (version >= 2) {
            assertThat(data.errorCode()).isEqualTo(expected);
            assertThat(data.topics().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.NONE.code());
        } else {
            // No top-level error field below version 2: the group error rides on the partitions.
            assertThat(data.errorCode()).isZero();
            assertThat(data.topics().get(0).partitions().get(0).errorCode()).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesErrorResponse(short version) {
        OffsetFetchCodec.Request request = new OffsetFetchCodec.Request(List.of(new OffsetFetchCodec.GroupRequest(
                "payments", null, -1, List.of(new OffsetFetchCodec.TopicRequest(name(version), id(version), List.of(0, 1))))),
                false);

        OffsetFetchResponseData data = CodecTestSupport.<OffsetFetchResponse>parseResponse(
                codec.encodeErrorResponse(request, version, 63, ErrorCode.NOT_COORDINATOR),
                ApiKeys.OFFSET_FETCH, version, 63).data();

        short expected = Errors.NOT_COORDINATOR.code();
        if (version >= 8) {
            assertThat(data.groups()).singleElement().satisfies(g -> {
                assertThat(g.groupId()).isEqualTo("payments");
                assertThat(g.errorCode()).isEqualTo(expected);
                assertThat(g.topics()).singleElement().satisfies(t -> assertThat(t.partitions())
                        .allSatisfy(p -> {
                            assertThat(p.errorCode()).isEqualTo(expected);
                            assertThat(p.committedOffset()).isEqualTo(-1);
                        }).hasSize(2));
            });
        } else {
            if (version >= 2) {
                assertThat(data.errorCode()).isEqualTo(expected);
            }
            assertThat(data.topics()).singleElement().satisfies(t -> assertThat(t.partitions())
                    .allSatisfy(p -> {
                        assertThat(p.errorCode()).isEqualTo(expected);
                        assertThat(p.committedOffset()).isEqualTo(-1);
                    }).hasSize(2));
        }
    }

    @ParameterizedTest
    @MethodSource("allTopicsVersions")
    void encodesErrorResponseForAllTopicsRequest(short version) {
        OffsetFetchCodec.Request request = new OffsetFetchCodec.Request(List.of(
                new OffsetFetchCodec.GroupRequest("payments", null, -1, null)), false);

        OffsetFetchResponseData data = CodecTestSupport.<OffsetFetchResponse>parseResponse(
                codec.encodeErrorResponse(request, version, 64, ErrorCode.GROUP_AUTHORIZATION_FAILED),
                ApiKeys.OFFSET_FETCH, version, 64).data();

        short expected = Errors.GROUP_AUTHORIZATION_FAILED.code();
        if (version >= 8) {
            assertThat(data.groups()).singleElement().satisfies(g -> {
                assertThat(g.errorCode()).isEqualTo(expected);
                assertThat(g.topics()).isEmpty();
            });
        } else {
            assertThat(data.errorCode()).isEqualTo(expected);
            assertThat(data.topics()).isEmpty();
        }
    }
}
