package io.millrace.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.codec.IncrementalAlterConfigsCodec.Op;
import io.millrace.protocol.codec.IncrementalAlterConfigsCodec.OpType;
import java.util.List;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.IncrementalAlterConfigsResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IncrementalAlterConfigsCodecTest {

    private final IncrementalAlterConfigsCodec codec = new IncrementalAlterConfigsCodec();

    @ParameterizedTest
    @ValueSource(shorts = {0, 1})
    void roundTripsEveryOperationWithKafkaClients(short version) {
        IncrementalAlterConfigsRequestData data = new IncrementalAlterConfigsRequestData();
        IncrementalAlterConfigsRequestData.AlterConfigsResource resource =
                new IncrementalAlterConfigsRequestData.AlterConfigsResource().setResourceType((byte) 2)
                        .setResourceName("orders");
        resource.configs().add(config("retention.ms", 0, "1"));
        resource.configs().add(config("segment.ms", 1, null));
        resource.configs().add(config("cleanup.policy", 2, "compact"));
        resource.configs().add(config("compression.type", 3, "gzip"));
        resource.configs().add(config("preallocate", 9, "x"));
        data.resources().add(resource);

        IncrementalAlterConfigsCodec.Request request =
                codec.decodeRequest(CodecTestSupport.requestBody(data, version), version);

        assertThat(request.validateOnly()).isFalse();
        assertThat(request.resources()).singleElement().satisfies(r -> assertThat(r.ops()).containsExactly(
                new Op("retention.ms", OpType.SET, "1"), new Op("segment.ms", OpType.DELETE, null),
                new Op("cleanup.policy", OpType.APPEND, "compact"), new Op("compression.type", OpType.SUBTRACT, "gzip"),
                new Op("preallocate", OpType.UNKNOWN, "x")));

        IncrementalAlterConfigsCodec.Response response = new IncrementalAlterConfigsCodec.Response(List.of(
                new IncrementalAlterConfigsCodec.ResourceResult(ErrorCode.INVALID_CONFIG, "bad", (byte) 2, "orders")));
        IncrementalAlterConfigsResponse parsed = CodecTestSupport.parseResponse(
                codec.encodeResponse(response, version, 11), ApiKeys.INCREMENTAL_ALTER_CONFIGS, version, 11);
        assertThat(parsed.data().responses()).singleElement().satisfies(r -> {
            assertThat(r.errorCode()).isEqualTo(Errors.INVALID_CONFIG.code());
            assertThat(r.errorMessage()).isEqualTo("bad");
            assertThat(r.resourceName()).isEqualTo("orders");
        });
    }

    private static IncrementalAlterConfigsRequestData.AlterableConfig config(String name, int op, String value) {
        return new IncrementalAlterConfigsRequestData.AlterableConfig().setName(name).setConfigOperation((byte) op)
                .setValue(value);
    }
}
