package io.millrace.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.protocol.ErrorCode;
import java.util.List;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreatePartitionsResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CreatePartitionsCodecTest {

    private final CreatePartitionsCodec codec = new CreatePartitionsCodec();

    @ParameterizedTest
    @ValueSource(shorts = {0, 3})
    void roundTripsWithKafkaClients(short version) {
        CreatePartitionsRequestData data = new CreatePartitionsRequestData().setTimeoutMs(10).setValidateOnly(true);
        CreatePartitionsRequestData.CreatePartitionsTopic placed = new CreatePartitionsRequestData.CreatePartitionsTopic()
                .setName("a").setCount(3).setAssignments(new java.util.ArrayList<>(List.of(
                        new CreatePartitionsRequestData.CreatePartitionsAssignment().setBrokerIds(List.of(1)))));
        data.topics().add(placed);
        data.topics().add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName("b").setCount(5)
                .setAssignments(null));

        CreatePartitionsCodec.Request request = codec.decodeRequest(CodecTestSupport.requestBody(data, version), version);

        assertThat(request.validateOnly()).isTrue();
        assertThat(request.topics()).containsExactly(
                new CreatePartitionsCodec.TopicRequest("a", 3, List.of(List.of(1))),
                new CreatePartitionsCodec.TopicRequest("b", 5, null));

        CreatePartitionsCodec.Response response = new CreatePartitionsCodec.Response(List.of(
                new CreatePartitionsCodec.TopicResult("a", ErrorCode.NONE, null),
                new CreatePartitionsCodec.TopicResult("b", ErrorCode.INVALID_PARTITIONS, "too few")));
        CreatePartitionsResponse parsed = CodecTestSupport.parseResponse(codec.encodeResponse(response, version, 3),
                ApiKeys.CREATE_PARTITIONS, version, 3);
        assertThat(parsed.data().results()).hasSize(2);
        assertThat(parsed.data().results().get(1).errorCode()).isEqualTo(Errors.INVALID_PARTITIONS.code());
        assertThat(parsed.data().results().get(1).errorMessage()).isEqualTo("too few");
    }
}
