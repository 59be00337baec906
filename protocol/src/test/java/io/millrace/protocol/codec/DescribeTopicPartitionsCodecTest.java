package io.millrace.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.codec.DescribeTopicPartitionsCodec.Cursor;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeTopicPartitionsResponse;
import org.junit.jupiter.api.Test;

class DescribeTopicPartitionsCodecTest {

    private final DescribeTopicPartitionsCodec codec = new DescribeTopicPartitionsCodec();

    @Test
    void decodesTopicsLimitAndCursor() {
        DescribeTopicPartitionsRequestData data = new DescribeTopicPartitionsRequestData()
                .setTopics(List.of(new DescribeTopicPartitionsRequestData.TopicRequest().setName("b"),
                        new DescribeTopicPartitionsRequestData.TopicRequest().setName("a")))
                .setResponsePartitionLimit(10)
                .setCursor(new DescribeTopicPartitionsRequestData.Cursor().setTopicName("a").setPartitionIndex(3));

        DescribeTopicPartitionsCodec.Request request =
                codec.decodeRequest(CodecTestSupport.requestBody(data, (short) 0), (short) 0);

        assertThat(request.topics()).containsExactly("b", "a");
        assertThat(request.responsePartitionLimit()).isEqualTo(10);
        assertThat(request.cursor()).isEqualTo(new Cursor("a", 3));
    }

    @Test
    void encodesPartitionsAndNextCursor() {
        UUID id = UUID.randomUUID();
        DescribeTopicPartitionsCodec.Response response = new DescribeTopicPartitionsCodec.Response(List.of(
                new DescribeTopicPartitionsCodec.Topic(ErrorCode.NONE, "a", id, false, List.of(
                        new DescribeTopicPartitionsCodec.Partition(ErrorCode.NONE, 0, 1, 4, List.of(1, 2), List.of(1),
                                List.of(), List.of(), List.of(2)))),
                new DescribeTopicPartitionsCodec.Topic(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "zz", null, false,
                        List.of())),
                new Cursor("a", 1));

        DescribeTopicPartitionsResponse parsed = CodecTestSupport.parseResponse(
                codec.encodeResponse(response, (short) 0, 21), ApiKeys.DESCRIBE_TOPIC_PARTITIONS, (short) 0, 21);

        var a = parsed.data().topics().find("a");
        assertThat(a.topicId().getLeastSignificantBits()).isEqualTo(id.getLeastSignificantBits());
        assertThat(a.partitions()).singleElement().satisfies(p -> {
            assertThat(p.leaderId()).isEqualTo(1);
            assertThat(p.leaderEpoch()).isEqualTo(4);
            assertThat(p.replicaNodes()).containsExactly(1, 2);
            assertThat(p.isrNodes()).containsExactly(1);
            assertThat(p.eligibleLeaderReplicas()).isEmpty();
            assertThat(p.offlineReplicas()).containsExactly(2);
        });
        assertThat(parsed.data().topics().find("zz").errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(parsed.data().nextCursor().topicName()).isEqualTo("a");
        assertThat(parsed.data().nextCursor().partitionIndex()).isEqualTo(1);
    }
}
