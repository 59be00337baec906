package io.millrace.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.protocol.ApiKey;
import io.millrace.protocol.ErrorCode;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetDeleteResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OffsetDeleteCodecTest {

    private final OffsetDeleteCodec codec = new OffsetDeleteCodec();

    static Stream<Short> versions() {
        return IntStream.rangeClosed(ApiKey.OFFSET_DELETE.oldestVersion(), ApiKey.OFFSET_DELETE.latestVersion())
                .mapToObj(v -> (short) v);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void decodesRequest(short version) {
        OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection topics =
                new OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection();
        topics.add(new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName("orders").setPartitions(List.of(
                new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(0),
                new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(3))));
        OffsetDeleteRequestData data = new OffsetDeleteRequestData().setGroupId("payments").setTopics(topics);

        OffsetDeleteCodec.Request request = codec.decodeRequest(CodecTestSupport.requestBody(data, version), version);

        assertThat(request).isEqualTo(new OffsetDeleteCodec.Request("payments",
                List.of(new OffsetDeleteCodec.TopicRequest("orders", List.of(0, 3)))));
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesResponse(short version) {
        OffsetDeleteCodec.Response response = new OffsetDeleteCodec.Response(ErrorCode.NONE, List.of(
                new OffsetDeleteCodec.TopicResult("orders", List.of(
                        new OffsetDeleteCodec.PartitionResult(0, ErrorCode.NONE),
                        new OffsetDeleteCodec.PartitionResult(3, ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC)))));

        OffsetDeleteResponseData data = CodecTestSupport.<OffsetDeleteResponse>parseResponse(
                codec.encodeResponse(response, version, 101), ApiKeys.OFFSET_DELETE, version, 101).data();

        assertThat(data.throttleTimeMs()).isZero();
        assertThat(data.errorCode()).isEqualTo(Errors.NONE.code());
        OffsetDeleteResponseData.OffsetDeleteResponseTopic topic = data.topics().find("orders");
        assertThat(topic.partitions().find(0).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(topic.partitions().find(3).errorCode()).isEqualTo(Errors.GROUP_SUBSCRIBED_TO_TOPIC.code());
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesErrorResponseEverywhere(short version) {
        OffsetDeleteCodec.Request request = new OffsetDeleteCodec.Request("payments",
                List.of(new OffsetDeleteCodec.TopicRequest("orders", List.of(0, 3))));

        OffsetDeleteResponseData data = CodecTestSupport.<OffsetDeleteResponse>parseResponse(
                codec.encodeErrorResponse(request, version, 102, ErrorCode.GROUP_ID_NOT_FOUND),
                ApiKeys.OFFSET_DELETE, version, 102).data();

        short expected = Errors.GROUP_ID_NOT_FOUND.code();
        assertThat(data.errorCode()).isEqualTo(expected);
        OffsetDeleteResponseData.OffsetDeleteResponseTopic topic = data.topics().find("orders");
        assertThat(topic.partitions()).hasSize(2).allSatisfy(p -> assertThat(p.errorCode()).isEqualTo(expected));
    }
}
