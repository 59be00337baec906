package io.millrace.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.protocol.ErrorCode;
import java.util.List;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DeleteRecordsResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeleteRecordsCodecTest {

    private final DeleteRecordsCodec codec = new DeleteRecordsCodec();

    @ParameterizedTest
    @ValueSource(shorts = {0, 2})
    void roundTripsWithKafkaClients(short version) {
        DeleteRecordsRequestData data = new DeleteRecordsRequestData().setTimeoutMs(30).setTopics(List.of(
                new DeleteRecordsRequestData.DeleteRecordsTopic().setName("orders").setPartitions(List.of(
                        new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(0).setOffset(-1),
                        new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(1).setOffset(42)))));

        DeleteRecordsCodec.Request request = codec.decodeRequest(CodecTestSupport.requestBody(data, version), version);

        assertThat(request.timeoutMs()).isEqualTo(30);
        assertThat(request.topics()).singleElement().satisfies(t -> assertThat(t.partitions()).containsExactly(
                new DeleteRecordsCodec.PartitionRequest(0, DeleteRecordsCodec.HIGH_WATERMARK),
                new DeleteRecordsCodec.PartitionRequest(1, 42)));

        DeleteRecordsCodec.Response response = new DeleteRecordsCodec.Response(List.of(new DeleteRecordsCodec.TopicResult(
                "orders", List.of(new DeleteRecordsCodec.PartitionResult(0, 17, ErrorCode.NONE),
                        DeleteRecordsCodec.PartitionResult.failed(1, ErrorCode.OFFSET_OUT_OF_RANGE)))));
        DeleteRecordsResponse parsed = CodecTestSupport.parseResponse(codec.encodeResponse(response, version, 2),
                ApiKeys.DELETE_RECORDS, version, 2);
        var topic = parsed.data().topics().find("orders");
        assertThat(topic.partitions().find(0).lowWatermark()).isEqualTo(17);
        assertThat(topic.partitions().find(1).errorCode()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE.code());
        assertThat(topic.partitions().find(1).lowWatermark()).isEqualTo(-1);
    }
}
