package io.millrace.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.protocol.ErrorCode;
import java.util.List;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DescribeConfigsCodecTest {

    private final DescribeConfigsCodec codec = new DescribeConfigsCodec();

    @ParameterizedTest
    @ValueSource(shorts = {1, 4})
    void decodesResourcesAndFlags(short version) {
        DescribeConfigsRequestData data = new DescribeConfigsRequestData().setIncludeSynonyms(true)
                .setIncludeDocumentation(version >= 3);
        data.resources().add(new DescribeConfigsRequestData.DescribeConfigsResource()
                .setResourceType((byte) 2).setResourceName("orders").setConfigurationKeys(List.of("retention.ms")));
        data.resources().add(new DescribeConfigsRequestData.DescribeConfigsResource()
                .setResourceType((byte) 4).setResourceName("1").setConfigurationKeys(null));

        DescribeConfigsCodec.Request request = codec.decodeRequest(CodecTestSupport.requestBody(data, version), version);

        assertThat(request.includeSynonyms()).isTrue();
        assertThat(request.includeDocumentation()).isEqualTo(version >= 3);
        assertThat(request.resources()).containsExactly(
                new DescribeConfigsCodec.Resource((byte) 2, "orders", List.of("retention.ms")),
                new DescribeConfigsCodec.Resource((byte) 4, "1", null));
    }

    @ParameterizedTest
    @ValueSource(shorts = {1, 4})
    void encodesConfigsWithSynonymsAndErrors(short version) {
        ConfigValue retention = new ConfigValue("retention.ms", "1000", ConfigValue.Source.DYNAMIC_TOPIC_CONFIG,
                false, false, ConfigValue.Type.LONG, "How long.", List.of(
                        new ConfigValue.Synonym("retention.ms", "1000", ConfigValue.Source.DYNAMIC_TOPIC_CONFIG),
                        new ConfigValue.Synonym("log.retention.ms", "5000", ConfigValue.Source.STATIC_BROKER_CONFIG)));
        DescribeConfigsCodec.Response response = new DescribeConfigsCodec.Response(List.of(
                new DescribeConfigsCodec.ResourceResult(ErrorCode.NONE, null, (byte) 2, "orders", List.of(retention)),
                DescribeConfigsCodec.ResourceResult.failed(new DescribeConfigsCodec.Resource((byte) 2, "nope", null),
                        ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "The topic 'nope' does not exist.")));

        DescribeConfigsResponse parsed = CodecTestSupport.parseResponse(codec.encodeResponse(response, version, 9),
                ApiKeys.DESCRIBE_CONFIGS, version, 9);

        DescribeConfigsResult orders = parsed.data().results().get(0);
        assertThat(orders.resourceName()).isEqualTo("orders");
        assertThat(orders.configs()).singleElement().satisfies(c -> {
            assertThat(c.value()).isEqualTo("1000");
            assertThat(c.configSource()).isEqualTo(ConfigValue.Source.DYNAMIC_TOPIC_CONFIG.id());
            assertThat(c.synonyms()).extracting(s -> s.name()).containsExactly("retention.ms", "log.retention.ms");
            if (version >= 3) {
                assertThat(c.configType()).isEqualTo(ConfigValue.Type.LONG.id());
                assertThat(c.documentation()).isEqualTo("How long.");
            }
        });
        assertThat(parsed.data().results().get(1).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }
}
