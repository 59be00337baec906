package io.millrace.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.protocol.ErrorCode;
import java.util.List;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterConfigsResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AlterConfigsCodecTest {

    private final AlterConfigsCodec codec = new AlterConfigsCodec();

    @ParameterizedTest
    @ValueSource(shorts = {0, 2})
    void roundTripsWithKafkaClients(short version) {
        AlterConfigsRequestData data = new AlterConfigsRequestData().setValidateOnly(true);
        AlterConfigsRequestData.AlterConfigsResource resource = new AlterConfigsRequestData.AlterConfigsResource()
                .setResourceType((byte) 2).setResourceName("orders");
        resource.configs().add(new AlterConfigsRequestData.AlterableConfig().setName("retention.ms").setValue("1"));
        resource.configs().add(new AlterConfigsRequestData.AlterableConfig().setName("segment.ms").setValue(null));
        data.resources().add(resource);

        AlterConfigsCodec.Request request = codec.decodeRequest(CodecTestSupport.requestBody(data, version), version);

        assertThat(request.validateOnly()).isTrue();
        assertThat(request.resources()).singleElement().satisfies(r -> {
            assertThat(r.resourceType()).isEqualTo((byte) 2);
            assertThat(r.configs()).containsExactly(new AlterConfigsCodec.Config("retention.ms", "1"),
                    new AlterConfigsCodec.Config("segment.ms", null));
        });

        AlterConfigsCodec.Response response = new AlterConfigsCodec.Response(List.of(
                new AlterConfigsCodec.ResourceResult(ErrorCode.INVALID_REQUEST, "Dynamic broker configs are not supported.",
                        (byte) 4, "1")));
        AlterConfigsResponse parsed = CodecTestSupport.parseResponse(codec.encodeResponse(response, version, 5),
                ApiKeys.ALTER_CONFIGS, version, 5);
        assertThat(parsed.data().responses()).singleElement().satisfies(r -> {
            assertThat(r.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
            assertThat(r.resourceType()).isEqualTo((byte) 4);
            assertThat(r.resourceName()).isEqualTo("1");
        });
    }
}
