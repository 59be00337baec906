package io.millrace.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.protocol.ErrorCode;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CreateTopicsCodecTest {

    private final CreateTopicsCodec codec = new CreateTopicsCodec();

    @ParameterizedTest
    @ValueSource(shorts = {2, 7})
    void decodesTopicsWithAssignmentsConfigsAndRepeatedNames(short version) {
        CreateTopicsRequestData data = new CreateTopicsRequestData().setTimeoutMs(5000).setValidateOnly(true);
        CreateTopicsRequestData.CreatableTopic manual = new CreateTopicsRequestData.CreatableTopic()
                .setName("orders").setNumPartitions(-1).setReplicationFactor((short) -1);
        manual.assignments().add(new CreateTopicsRequestData.CreatableReplicaAssignment()
                .setPartitionIndex(0).setBrokerIds(List.of(1, 2)));
        manual.configs().add(new CreateTopicsRequestData.CreatableTopicConfig()
                .setName("cleanup.policy").setValue("compact"));
        data.topics().add(manual);
        data.topics().add(new CreateTopicsRequestData.CreatableTopic()
                .setName("orders").setNumPartitions(3).setReplicationFactor((short) 1));

        CreateTopicsCodec.Request request = codec.decodeRequest(CodecTestSupport.requestBody(data, version), version);

        assertThat(request.timeoutMs()).isEqualTo(5000);
        assertThat(request.validateOnly()).isTrue();
        assertThat(request.topics()).hasSize(2);
        assertThat(request.topics().get(0).assignments()).isEqualTo(Map.of(0, List.of(1, 2)));
        assertThat(request.topics().get(0).configs()).isEqualTo(Map.of("cleanup.policy", "compact"));
        assertThat(request.topics().get(1).numPartitions()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(shorts = {2, 7})
    void encodesResultsKafkaClientsCanParse(short version) {
        UUID id = UUID.randomUUID();
        ConfigValue config = new ConfigValue("retention.ms", "1000", ConfigValue.Source.DYNAMIC_TOPIC_CONFIG,
                false, false, ConfigValue.Type.LONG, null, List.of());
        CreateTopicsCodec.Response response = new CreateTopicsCodec.Response(List.of(
                new CreateTopicsCodec.TopicResult("orders", id, ErrorCode.NONE, null, 3, (short) 1, List.of(config)),
                CreateTopicsCodec.TopicResult.failed("bad", ErrorCode.TOPIC_ALREADY_EXISTS, "Topic 'bad' already exists.")));

        CreateTopicsResponse parsed = CodecTestSupport.parseResponse(
                codec.encodeResponse(response, version, 42), ApiKeys.CREATE_TOPICS, version, 42);

        CreatableTopicResult orders = parsed.data().topics().find("orders");
        assertThat(orders.errorCode()).isEqualTo(Errors.NONE.code());
        CreatableTopicResult bad = parsed.data().topics().find("bad");
        assertThat(bad.errorCode()).isEqualTo(Errors.TOPIC_ALREADY_EXISTS.code());
        assertThat(bad.errorMessage()).isEqualTo("Topic 'bad' already exists.");
        if (version >= 5) {
            assertThat(orders.numPartitions()).isEqualTo(3);
            assertThat(orders.configs()).singleElement().satisfies(c -> {
                assertThat(c.name()).isEqualTo("retention.ms");
                assertThat(c.configSource()).isEqualTo(ConfigValue.Source.DYNAMIC_TOPIC_CONFIG.id());
            });
        }
        if (version >= 7) {
            assertThat(orders.topicId()).isEqualTo(new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits()));
        }
    }
}
