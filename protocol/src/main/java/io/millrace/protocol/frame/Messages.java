package io.millrace.protocol.frame;

import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.ErrorMapper;
import io.millrace.protocol.MillraceException;
import io.millrace.protocol.EncodedResponse;
import java.nio.ByteBuffer;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.protocol.Readable;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;

/**
 * Conversions every codec needs between kafka-clients messages and Millrace types: parsing a body,
 * topic ids, error codes. Only codecs in this module use it.
 *
 * <p>Thread-safety: stateless.
 */
public final class Messages {

    private Messages() {
    }

    /**
     * Parses a generated request message from the whole of {@code body}. Kafka closes the
     * connection for a body that does not parse, so every failure becomes INVALID_REQUEST.
     */
    public static <T extends ApiMessage> T parse(ByteBuffer body, Function<Readable, T> parser) {
        ByteBufferAccessor readable = new ByteBufferAccessor(body.duplicate());
        try {
            return parser.apply(readable);
        } catch (RuntimeException malformed) {
            throw new MillraceException(ErrorCode.INVALID_REQUEST,
                    "malformed request body: " + malformed.getMessage(), malformed);
        }
    }

    /** A topic id as Millrace holds it; Kafka's all-zero id means "none" and becomes null. */
    public static UUID toUuid(Uuid id) {
        if (id == null || Uuid.ZERO_UUID.equals(id)) {
            return null;
        }
        return new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }

    /** A topic id as Kafka writes it; null becomes the all-zero id. */
    public static Uuid toKafka(UUID id) {
        return id == null ? Uuid.ZERO_UUID : new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }

    public static short code(ErrorCode error) {
        return ErrorMapper.wireCode(error);
    }

    public static ErrorCode error(short wireCode) {
        return ErrorMapper.fromWireCode(wireCode);
    }

    /**
     * The frame Kafka sends when a whole request fails with {@code error}: the request is rebuilt
     * as kafka-clients' own request object and its {@code getErrorResponse} decides which topics,
     * partitions and fields carry the error, so the answer is Kafka's to the byte. Only error
     * paths call this, so the extra serialization does not matter.
     *
     * @param requestData the request as kafka-clients data, at {@code version}
     */
    public static EncodedResponse errorResponse(ApiMessage requestData, ApiKeys apiKey, short version,
                                                int correlationId, ErrorCode error) {
        ByteBufferAccessor serialized = MessageUtil.toByteBufferAccessor(requestData, version);
        AbstractRequest request = AbstractRequest.parseRequest(apiKey, version, serialized).request;
        AbstractResponse response = request.getErrorResponse(0, ErrorMapper.toKafka(error).exception());
        return ResponseFrames.encode(response.data(), apiKey, version, correlationId);
    }
}
