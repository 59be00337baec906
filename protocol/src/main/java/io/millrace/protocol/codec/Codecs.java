package io.millrace.protocol.codec;

import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.ErrorMapper;
import io.millrace.protocol.MillraceException;
import java.nio.ByteBuffer;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Readable;

/** Small conversions every codec needs: body parsing, topic ids, error codes. */
final class Codecs {

    private Codecs() {
    }

    /** Parses a generated request message, turning any parse failure into INVALID_REQUEST. */
    static <T extends ApiMessage> T parse(ByteBuffer body, Function<Readable, T> parser) {
        try {
            return parser.apply(new ByteBufferAccessor(body));
        } catch (RuntimeException malformed) {
            throw new MillraceException(ErrorCode.INVALID_REQUEST, "malformed request body: " + malformed, malformed);
        }
    }

    static UUID toUuid(Uuid id) {
        return id == null || Uuid.ZERO_UUID.equals(id) ? null : new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }

    static Uuid toKafka(UUID id) {
        return id == null ? Uuid.ZERO_UUID : new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }

    static short code(ErrorCode error) {
        return ErrorMapper.wireCode(error);
    }
}
