package io.millrace.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.protocol.ErrorCode;
import java.util.List;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeLogDirsResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DescribeLogDirsCodecTest {

    private final DescribeLogDirsCodec codec = new DescribeLogDirsCodec();

    @ParameterizedTest
    @ValueSource(shorts = {1, 5})
    void decodesNullTopicsAsEveryPartition(short version) {
        DescribeLogDirsRequestData data = new DescribeLogDirsRequestData().setTopics(null);

        assertThat(codec.decodeRequest(CodecTestSupport.requestBody(data, version), version).topics()).isNull();
    }

    @ParameterizedTest
    @ValueSource(shorts = {1, 5})
    void decodesRequestedPartitions(short version) {
        DescribeLogDirsRequestData data = new DescribeLogDirsRequestData();
        data.topics().add(new DescribeLogDirsRequestData.DescribableLogDirTopic().setTopic("orders")
                .setPartitions(List.of(0, 2)));

        DescribeLogDirsCodec.Request request = codec.decodeRequest(CodecTestSupport.requestBody(data, version), version);

        assertThat(request.topics()).containsExactly(new DescribeLogDirsCodec.TopicRequest("orders", List.of(0, 2)));
    }

    @ParameterizedTest
    @ValueSource(shorts = {1, 5})
    void encodesLogDirsKafkaClientsCanParse(short version) {
        DescribeLogDirsCodec.Response response = new DescribeLogDirsCodec.Response(ErrorCode.NONE, List.of(
                new DescribeLogDirsCodec.LogDir(ErrorCode.NONE, "/data/log", List.of(new DescribeLogDirsCodec.TopicResult(
                        "orders", List.of(new DescribeLogDirsCodec.PartitionResult(0, 1234, 0, false)))), 1000, 500)));

        DescribeLogDirsResponse parsed = CodecTestSupport.parseResponse(codec.encodeResponse(response, version, 4),
                ApiKeys.DESCRIBE_LOG_DIRS, version, 4);

        assertThat(parsed.data().results()).singleElement().satisfies(dir -> {
            assertThat(dir.logDir()).isEqualTo("/data/log");
            assertThat(dir.topics().get(0).partitions().get(0).partitionSize()).isEqualTo(1234);
            assertThat(dir.totalBytes()).isEqualTo(version >= 4 ? 1000 : -1);
            assertThat(dir.usableBytes()).isEqualTo(version >= 4 ? 500 : -1);
        });
    }

    @Test
    void errorResponseAtVersionOneHasNoTopLevelError() {
        DescribeLogDirsCodec.Request request = new DescribeLogDirsCodec.Request(null);

        DescribeLogDirsResponse parsed = CodecTestSupport.parseResponse(
                codec.encodeErrorResponse(request, (short) 1, 6, ErrorCode.CLUSTER_AUTHORIZATION_FAILED),
                ApiKeys.DESCRIBE_LOG_DIRS, (short) 1, 6);

        assertThat(parsed.data().results()).isEmpty();
        assertThat(parsed.data().errorCode()).isEqualTo(Errors.NONE.code());
    }
}
