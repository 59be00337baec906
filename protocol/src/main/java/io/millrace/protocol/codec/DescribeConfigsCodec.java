package io.millrace.protocol.codec;

import io.millrace.protocol.ApiCodec;
import io.millrace.protocol.ApiKey;
import io.millrace.protocol.EncodedResponse;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.wire.ResponseWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/** DescribeConfigs: the effective configs of topics, brokers and other resources. */
public final class DescribeConfigsCodec
        implements ApiCodec<DescribeConfigsCodec.Request, DescribeConfigsCodec.Response> {

    /**
     * @param resourceType the raw wire id; see {@link ConfigResourceType}
     * @param configNames  the configs asked for, or null for all
     */
    public record Resource(byte resourceType, String resourceName, List<String> configNames) {
    }

    public record Request(List<Resource> resources, boolean includeSynonyms, boolean includeDocumentation) {
    }

    public record ResourceResult(ErrorCode error, String errorMessage, byte resourceType, String resourceName,
                                 List<ConfigValue> configs) {
        public static ResourceResult failed(Resource resource, ErrorCode error, String message) {
            return new ResourceResult(error, message, resource.resourceType(), resource.resourceName(), List.of());
        }
    }

    public record Response(List<ResourceResult> results) {
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.DESCRIBE_CONFIGS;
    }

    @Override
    public Request decodeRequest(ByteBuffer body, short version) {
        DescribeConfigsRequestData data =
                Codecs.parse(body, readable -> new DescribeConfigsRequestData(readable, version));
        List<Resource> resources = new ArrayList<>(data.resources().size());
        for (DescribeConfigsRequestData.DescribeConfigsResource r : data.resources()) {
            List<String> names = r.configurationKeys() == null ? null : List.copyOf(r.configurationKeys());
            resources.add(new Resource(r.resourceType(), r.resourceName(), names));
        }
        return new Request(resources, data.includeSynonyms(), data.includeDocumentation());
    }

    @Override
    public EncodedResponse encodeResponse(Response response, short version, int correlationId) {
        DescribeConfigsResponseData data = new DescribeConfigsResponseData();
        for (ResourceResult result : response.results()) {
            DescribeConfigsResponseData.DescribeConfigsResult wire = new DescribeConfigsResponseData.DescribeConfigsResult()
                    .setErrorCode(Codecs.code(result.error()))
                    .setErrorMessage(result.errorMessage())
                    .setResourceType(result.resourceType())
                    .setResourceName(result.resourceName());
            for (ConfigValue config : result.configs()) {
                wire.configs().add(toWire(config));
            }
            data.results().add(wire);
        }
        return ResponseWriter.encode(data, ApiKeys.DESCRIBE_CONFIGS, version, correlationId);
    }

    private static DescribeConfigsResponseData.DescribeConfigsResourceResult toWire(ConfigValue config) {
        DescribeConfigsResponseData.DescribeConfigsResourceResult wire =
                new DescribeConfigsResponseData.DescribeConfigsResourceResult()
                        .setName(config.name())
                        .setValue(config.value())
                        .setReadOnly(config.readOnly())
                        .setConfigSource(config.source().id())
                        .setIsSensitive(config.sensitive())
                        .setConfigType(config.type().id())
                        .setDocumentation(config.documentation());
        for (ConfigValue.Synonym synonym : config.synonyms()) {
            wire.synonyms().add(new DescribeConfigsResponseData.DescribeConfigsSynonym()
                    .setName(synonym.name())
                    .setValue(synonym.value())
                    .setSource(synonym.source().id()));
        }
        return wire;
    }

    @Override
    public EncodedResponse encodeErrorResponse(Request request, short version, int correlationId, ErrorCode error) {
        List<ResourceResult> results = request.resources().stream()
                .map(r -> ResourceResult.failed(r, error, null)).toList();
        return encodeResponse(new Response(results), version, correlationId);
    }
}
