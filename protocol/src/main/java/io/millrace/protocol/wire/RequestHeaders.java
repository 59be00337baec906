package io.millrace.protocol.wire;

import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.MillraceException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * Reads the request header at the start of a frame. The header's own version depends on the API
 * and its version (flexible versions carry tagged fields), which kafka-clients knows; a frame
 * whose API key Kafka does not know, or whose header does not parse, is an INVALID_REQUEST and the
 * broker closes the connection, as Kafka does.
 */
public final class RequestHeaders {

    /** A parsed request header. */
    public record Header(short apiKeyId, short apiVersion, int correlationId, String clientId) {
    }

    /** The header and the body that follows it. */
    public record Decoded(Header header, ByteBuffer body) {
    }

    private RequestHeaders() {
    }

    public static Decoded parse(ByteBuffer frame) {
        if (frame.remaining() < 8) {
            throw new MillraceException(ErrorCode.INVALID_REQUEST, "frame of " + frame.remaining()
                    + " bytes is too short for a request header");
        }
        short apiKeyId = frame.getShort(frame.position());
        if (!ApiKeys.hasId(apiKeyId)) {
            throw new MillraceException(ErrorCode.INVALID_REQUEST, "unknown api key " + apiKeyId);
        }
        try {
            RequestHeader header = RequestHeader.parse(frame);
            return new Decoded(new Header(apiKeyId, header.apiVersion(), header.correlationId(),
                    header.clientId() == null ? "" : header.clientId()), frame.slice());
        } catch (RuntimeException malformed) {
            throw new MillraceException(ErrorCode.INVALID_REQUEST, "malformed request header: " + malformed, malformed);
        }
    }
}
