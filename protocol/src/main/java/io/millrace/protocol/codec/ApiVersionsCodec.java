package io.millrace.protocol.codec;

import io.millrace.protocol.ApiCodec;
import io.millrace.protocol.ApiKey;
import io.millrace.protocol.EncodedResponse;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.wire.ResponseWriter;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * ApiVersions. A request at a version newer than ours cannot be parsed; Kafka answers it with a
 * version 0 response carrying UNSUPPORTED_VERSION and the full list of ranges, so the client can
 * pick a version both sides know ({@link #encodeUnsupportedVersion}).
 */
public final class ApiVersionsCodec implements ApiCodec<ApiVersionsCodec.Request, ApiVersionsCodec.Response> {

    public record Request(String clientSoftwareName, String clientSoftwareVersion) {
    }

    public record ApiVersionRange(short apiKeyId, short minVersion, short maxVersion) {
    }

    public record Response(ErrorCode error, List<ApiVersionRange> apiKeys) {
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.API_VERSIONS;
    }

    @Override
    public Request decodeRequest(ByteBuffer body, short version) {
        ApiVersionsRequestData data = Codecs.parse(body, readable -> new ApiVersionsRequestData(readable, version));
        return new Request(data.clientSoftwareName(), data.clientSoftwareVersion());
    }

    @Override
    public EncodedResponse encodeResponse(Response response, short version, int correlationId) {
        return ResponseWriter.encode(toData(response), ApiKeys.API_VERSIONS, version, correlationId);
    }

    @Override
    public EncodedResponse encodeErrorResponse(Request request, short version, int correlationId, ErrorCode error) {
        return encodeResponse(new Response(error, List.of()), version, correlationId);
    }

    /** The version 0 answer to an ApiVersions request whose version we do not know. */
    public EncodedResponse encodeUnsupportedVersion(List<ApiVersionRange> ranges, int correlationId) {
        return ResponseWriter.encode(toData(new Response(ErrorCode.UNSUPPORTED_VERSION, ranges)),
                ApiKeys.API_VERSIONS, (short) 0, correlationId);
    }

    private static ApiVersionsResponseData toData(Response response) {
        ApiVersionsResponseData data = new ApiVersionsResponseData().setErrorCode(Codecs.code(response.error()));
        for (ApiVersionRange range : response.apiKeys()) {
            data.apiKeys().add(new ApiVersionsResponseData.ApiVersion()
                    .setApiKey(range.apiKeyId()).setMinVersion(range.minVersion()).setMaxVersion(range.maxVersion()));
        }
        return data;
    }
}
