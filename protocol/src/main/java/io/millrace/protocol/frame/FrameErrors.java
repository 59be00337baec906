package io.millrace.protocol.frame;

import io.millrace.protocol.EncodedResponse;
import io.millrace.protocol.ErrorMapper;
import io.millrace.protocol.ErrorCode;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * What a Kafka 4.3.1 broker does with a request it cannot serve, decided from the header alone.
 *
 * <ul>
 *   <li>Unknown API key, or a header that does not parse: {@link RequestHeaders#parse} throws and
 *       the connection is closed without a response.</li>
 *   <li>A known API at a version outside the served range: the connection is closed without a
 *       response ({@link Verdict#CLOSE_CONNECTION}). Kafka's socket server throws while reading
 *       the header (InvalidRequestException, or UnsupportedVersionException for versions it has
 *       never known) and closes the channel; nothing is sent.</li>
 *   <li>Produce v0–2 are the case above: Kafka 4 advertises Produce from v0 in ApiVersions
 *       ({@code ApiKeys.PRODUCE_API_VERSIONS_RESPONSE_MIN_VERSION}) only because librdkafka
 *       refuses to produce compressed data otherwise; the request itself is rejected by closing
 *       the connection. librdkafka always picks the highest common version, so it never sends them.</li>
 *   <li>ApiVersions at a version newer than served: answered, never closed
 *       ({@link Verdict#ANSWER_UNSUPPORTED_API_VERSIONS}). The body is not parsed; the answer is
 *       an ApiVersions v0 response, with header v0, carrying UNSUPPORTED_VERSION and one entry, the
 *       ApiVersions range itself, which is what Kafka's {@code ApiVersionsRequest.getErrorResponse}
 *       puts there. The client retries with the highest version in that range.</li>
 *   <li>A body that does not parse at an accepted version: the codec throws INVALID_REQUEST and
 *       the connection is closed (Kafka fails while building the request object).</li>
 * </ul>
 *
 * <p>Thread-safety: stateless.
 */
public final class FrameErrors {

    /** What to do with a request whose header parsed. */
    public enum Verdict {
        /** Decode the body and hand it to the API's handler. */
        ACCEPT,
        /** Send {@link #unsupportedVersionResponse} without decoding the body. */
        ANSWER_UNSUPPORTED_API_VERSIONS,
        /** Close the connection; send nothing. */
        CLOSE_CONNECTION
    }

    private FrameErrors() {
    }

    /**
     * Decides what to do with a request given the versions the broker serves for its API.
     *
     * @param servedMinVersion the lowest version the broker's handler answers
     * @param servedMaxVersion the highest version the broker's handler answers
     */
    public static Verdict verdict(RequestHeader header, short servedMinVersion, short servedMaxVersion) {
        short version = header.apiVersion();
        boolean served = version >= servedMinVersion && version <= servedMaxVersion;
        if (header.apiKeyId() == ApiKeys.API_VERSIONS.id) {
            return served ? Verdict.ACCEPT : Verdict.ANSWER_UNSUPPORTED_API_VERSIONS;
        }
        return served ? Verdict.ACCEPT : Verdict.CLOSE_CONNECTION;
    }

    /** As {@link #verdict(RequestHeader, short, short)} with every version Kafka 4.3.1 accepts. */
    public static Verdict verdict(RequestHeader header) {
        if (!ApiKeys.hasId(header.apiKeyId())) {
            return Verdict.CLOSE_CONNECTION;
        }
        ApiKeys key = ApiKeys.forId(header.apiKeyId());
        return verdict(header, key.oldestVersion(), key.latestVersion());
    }

    /** A message for the log when the verdict is to close the connection. */
    public static String closeReason(RequestHeader header) {
        String name = ApiKeys.hasId(header.apiKeyId()) ? ApiKeys.forId(header.apiKeyId()).name : "unknown";
        return "request for api key " + header.apiKeyId() + " (" + name + ") at version " + header.apiVersion()
                + " is not served";
    }

    /**
     * The answer to an ApiVersions request at a version newer than served, using the ApiVersions
     * range of Kafka 4.3.1.
     */
    public static EncodedResponse unsupportedVersionResponse(int correlationId) {
        return unsupportedVersionResponse(correlationId, ApiKeys.API_VERSIONS.oldestVersion(),
                ApiKeys.API_VERSIONS.latestVersion());
    }

    /**
     * The answer to an ApiVersions request at a version newer than served: ApiVersions v0 with
     * UNSUPPORTED_VERSION and the served ApiVersions range, so the client can downgrade.
     */
    public static EncodedResponse unsupportedVersionResponse(int correlationId, short apiVersionsMinVersion,
                                                             short apiVersionsMaxVersion) {
        ApiVersionsResponseData data = new ApiVersionsResponseData()
                .setErrorCode(ErrorMapper.wireCode(ErrorCode.UNSUPPORTED_VERSION));
        data.apiKeys().add(new ApiVersionsResponseData.ApiVersion()
                .setApiKey(ApiKeys.API_VERSIONS.id)
                .setMinVersion(apiVersionsMinVersion)
                .setMaxVersion(apiVersionsMaxVersion));
        return ResponseFrames.encode(data, ApiKeys.API_VERSIONS, (short) 0, correlationId);
    }
}
