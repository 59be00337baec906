package io.millrace.protocol.frame;

import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.MillraceException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * Reads the request header at the start of a frame (the bytes after the 4-byte length).
 *
 * <p>The header's own version depends on the API and its version: flexible versions use header
 * v2, which carries tagged fields. kafka-clients knows this per API ({@code
 * ApiKeys.requestHeaderVersion}); for ApiVersions it also covers versions newer than any it
 * knows, which is what lets a too-new ApiVersions request still be answered (see
 * {@link FrameErrors}).
 *
 * <p>Kafka closes the connection, without a response, when the API key is unknown or the header
 * does not parse; both surface here as {@link MillraceException} with
 * {@link ErrorCode#INVALID_REQUEST}, and the caller must close the connection.
 *
 * <p>Thread-safety: stateless.
 */
public final class RequestHeaders {

    /** api key (2), api version (2), correlation id (4), client id length (2). */
    private static final int MIN_HEADER_BYTES = 10;

    private RequestHeaders() {
    }

    /**
     * Parses the header of {@code frame}, which is not modified.
     *
     * @throws MillraceException with INVALID_REQUEST when the connection must be closed
     */
    public static DecodedFrame parse(ByteBuffer frame) {
        ByteBuffer view = frame.slice();
        if (view.remaining() < MIN_HEADER_BYTES) {
            throw new MillraceException(ErrorCode.INVALID_REQUEST,
                    "frame of " + view.remaining() + " bytes is too short for a request header");
        }
        short apiKeyId = view.getShort(0);
        if (!ApiKeys.hasId(apiKeyId)) {
            throw new MillraceException(ErrorCode.INVALID_REQUEST, "unknown api key " + apiKeyId);
        }
        org.apache.kafka.common.requests.RequestHeader header;
        try {
            header = org.apache.kafka.common.requests.RequestHeader.parse(view);
        } catch (RuntimeException malformed) {
            throw new MillraceException(ErrorCode.INVALID_REQUEST,
                    "malformed request header for api key " + apiKeyId + ": " + malformed.getMessage(), malformed);
        }
        String clientId = header.clientId() == null ? "" : header.clientId();
        return new DecodedFrame(new RequestHeader(apiKeyId, header.apiVersion(), header.correlationId(), clientId),
                view.slice());
    }
}
