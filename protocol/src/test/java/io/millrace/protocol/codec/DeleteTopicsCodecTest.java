package io.millrace.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.protocol.ErrorCode;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DeleteTopicsResponse;
import org.junit.jupiter.api.Test;

class DeleteTopicsCodecTest {

    private final DeleteTopicsCodec codec = new DeleteTopicsCodec();

    @Test
    void decodesTopicNamesAtVersionOne() {
        DeleteTopicsRequestData data = new DeleteTopicsRequestData().setTopicNames(List.of("a", "b")).setTimeoutMs(100);

        DeleteTopicsCodec.Request request = codec.decodeRequest(CodecTestSupport.requestBody(data, (short) 1), (short) 1);

        assertThat(request.topics()).containsExactly(new DeleteTopicsCodec.TopicRef("a", null),
                new DeleteTopicsCodec.TopicRef("b", null));
        assertThat(request.timeoutMs()).isEqualTo(100);
    }

    @Test
    void decodesNamesAndIdsAtVersionSix() {
        Uuid id = Uuid.randomUuid();
        DeleteTopicsRequestData data = new DeleteTopicsRequestData().setTopics(List.of(
                new DeleteTopicsRequestData.DeleteTopicState().setName("a"),
                new DeleteTopicsRequestData.DeleteTopicState().setName(null).setTopicId(id)));

        DeleteTopicsCodec.Request request = codec.decodeRequest(CodecTestSupport.requestBody(data, (short) 6), (short) 6);

        assertThat(request.topics()).containsExactly(new DeleteTopicsCodec.TopicRef("a", null),
                new DeleteTopicsCodec.TopicRef(null, new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits())));
    }

    @Test
    void encodesResultsAtLowestAndHighestVersion() {
        UUID id = UUID.randomUUID();
        DeleteTopicsCodec.Response v1 = new DeleteTopicsCodec.Response(List.of(
                new DeleteTopicsCodec.TopicResult("a", null, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, null)));
        DeleteTopicsResponse parsed1 = CodecTestSupport.parseResponse(codec.encodeResponse(v1, (short) 1, 7),
                ApiKeys.DELETE_TOPICS, (short) 1, 7);
        assertThat(parsed1.data().responses().find("a").errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());

        DeleteTopicsCodec.Response v6 = new DeleteTopicsCodec.Response(List.of(
                new DeleteTopicsCodec.TopicResult(null, id, ErrorCode.UNKNOWN_TOPIC_ID, "gone")));
        DeleteTopicsResponse parsed6 = CodecTestSupport.parseResponse(codec.encodeResponse(v6, (short) 6, 8),
                ApiKeys.DELETE_TOPICS, (short) 6, 8);
        assertThat(parsed6.data().responses()).singleElement().satisfies(r -> {
            assertThat(r.name()).isNull();
            assertThat(r.topicId().getMostSignificantBits()).isEqualTo(id.getMostSignificantBits());
            assertThat(r.errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
            assertThat(r.errorMessage()).isEqualTo("gone");
        });
    }
}
