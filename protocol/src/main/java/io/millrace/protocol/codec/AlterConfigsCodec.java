package io.millrace.protocol.codec;

import io.millrace.protocol.ApiCodec;
import io.millrace.protocol.ApiKey;
import io.millrace.protocol.EncodedResponse;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.wire.ResponseWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * AlterConfigs, the legacy API: each resource's configs in the request replace its whole set of
 * overrides. Config entries keep their request order, repeated names included.
 */
public final class AlterConfigsCodec implements ApiCodec<AlterConfigsCodec.Request, AlterConfigsCodec.Response> {

    /** {@code value} may be null on the wire. */
    public record Config(String name, String value) {
    }

    /** {@code resourceType} is the raw wire id; see {@link ConfigResourceType}. */
    public record Resource(byte resourceType, String resourceName, List<Config> configs) {
    }

    public record Request(List<Resource> resources, boolean validateOnly) {
    }

    public record ResourceResult(ErrorCode error, String errorMessage, byte resourceType, String resourceName) {
    }

    public record Response(List<ResourceResult> results) {
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.ALTER_CONFIGS;
    }

    @Override
    public Request decodeRequest(ByteBuffer body, short version) {
        AlterConfigsRequestData data = Codecs.parse(body, readable -> new AlterConfigsRequestData(readable, version));
        List<Resource> resources = new ArrayList<>(data.resources().size());
        for (AlterConfigsRequestData.AlterConfigsResource r : data.resources()) {
            List<Config> configs = new ArrayList<>(r.configs().size());
            for (AlterConfigsRequestData.AlterableConfig c : r.configs()) {
                configs.add(new Config(c.name(), c.value()));
            }
            resources.add(new Resource(r.resourceType(), r.resourceName(), configs));
        }
        return new Request(resources, data.validateOnly());
    }

    @Override
    public EncodedResponse encodeResponse(Response response, short version, int correlationId) {
        AlterConfigsResponseData data = new AlterConfigsResponseData();
        for (ResourceResult result : response.results()) {
            data.responses().add(new AlterConfigsResponseData.AlterConfigsResourceResponse()
                    .setErrorCode(Codecs.code(result.error()))
                    .setErrorMessage(result.errorMessage())
                    .setResourceType(result.resourceType())
                    .setResourceName(result.resourceName()));
        }
        return ResponseWriter.encode(data, ApiKeys.ALTER_CONFIGS, version, correlationId);
    }

    @Override
    public EncodedResponse encodeErrorResponse(Request request, short version, int correlationId, ErrorCode error) {
        List<ResourceResult> results = request.resources().stream()
                .map(r -> new ResourceResult(error, null, r.resourceType(), r.resourceName())).toList();
        return encodeResponse(new Response(results), version, correlationId);
    }
}
