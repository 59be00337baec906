package io.millrace.broker.network;

import io.millrace.protocol.ApiKey;
import io.millrace.protocol.EncodedResponse;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.MillraceException;
import io.millrace.protocol.wire.RequestHeaders;
import java.nio.ByteBuffer;
import java.util.function.IntFunction;

/**
 * Turns a frame into a dispatch decision, following Kafka's rules for requests the broker cannot
 * serve: an unknown API key, an API without a handler, a header that does not parse, or a version
 * outside the handler's range closes the connection — except ApiVersions at a version newer than
 * ours, which is answered with a version 0 response carrying UNSUPPORTED_VERSION and our ranges so
 * the client can downgrade.
 */
final class RequestDispatch {

    private RequestDispatch() {
    }

    /**
     * The outcome of reading one frame's header. Either {@code immediateResponse} is set (answer it
     * without calling a handler) or {@code handler} and {@code body} are.
     */
    record Parsed(ApiKey apiKey, short apiVersion, int correlationId, String clientId,
                  ApiHandler<?, ?> handler, ByteBuffer body, EncodedResponse immediateResponse) {
    }

    /**
     * @param unsupportedApiVersions builds the ApiVersions v0 UNSUPPORTED_VERSION answer for a
     *                               correlation id
     * @throws MillraceException when the connection must be closed
     */
    static Parsed parse(HandlerRegistry registry, ByteBuffer frame, IntFunction<EncodedResponse> unsupportedApiVersions) {
        RequestHeaders.Decoded decoded = RequestHeaders.parse(frame);
        RequestHeaders.Header header = decoded.header();
        ApiKey apiKey = ApiKey.forId(header.apiKeyId())
                .orElseThrow(() -> new MillraceException(ErrorCode.INVALID_REQUEST,
                        "api key " + header.apiKeyId() + " is not served"));
        ApiHandler<?, ?> handler = registry.handler(apiKey)
                .orElseThrow(() -> new MillraceException(ErrorCode.INVALID_REQUEST, apiKey + " is not served"));
        short version = header.apiVersion();
        if (version >= handler.minVersion() && version <= handler.maxVersion()) {
            return new Parsed(apiKey, version, header.correlationId(), header.clientId(), handler, decoded.body(), null);
        }
        if (version >= handler.advertisedMinVersion() && version < handler.minVersion()) {
            EncodedResponse rejection = handler.rejectUnsupported(decoded.body(), version, header.correlationId())
                    .orElseThrow(() -> new MillraceException(ErrorCode.UNSUPPORTED_VERSION,
                            apiKey + " version " + version + " cannot be answered"));
            return new Parsed(apiKey, version, header.correlationId(), header.clientId(), handler, null, rejection);
        }
        if (apiKey == ApiKey.API_VERSIONS && version > handler.maxVersion()) {
            return new Parsed(apiKey, version, header.correlationId(), header.clientId(), handler, null,
                    unsupportedApiVersions.apply(header.correlationId()));
        }
        throw new MillraceException(ErrorCode.UNSUPPORTED_VERSION,
                apiKey + " version " + version + " is outside " + handler.minVersion() + ".." + handler.maxVersion());
    }
}
