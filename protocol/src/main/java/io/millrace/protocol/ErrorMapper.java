package io.millrace.protocol;

import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.common.protocol.Errors;

/**
 * The one place where Millrace's {@link ErrorCode}s become Kafka wire error codes. The mapping is by
 * name, checked once when this class loads, so an {@code ErrorCode} without a Kafka counterpart
 * fails fast instead of reaching a client as the wrong code.
 */
public final class ErrorMapper {

    private static final Map<ErrorCode, Errors> TO_KAFKA = new EnumMap<>(ErrorCode.class);

    static {
        for (ErrorCode code : ErrorCode.values()) {
            TO_KAFKA.put(code, Errors.valueOf(code.name()));
        }
    }

    private ErrorMapper() {
    }

    /** The Kafka error for a Millrace error code. */
    public static Errors toKafka(ErrorCode code) {
        return TO_KAFKA.get(code);
    }

    /** The Kafka wire code (a short) for a Millrace error code. */
    public static short wireCode(ErrorCode code) {
        return TO_KAFKA.get(code).code();
    }

    /** The Millrace error code for a Kafka wire code; unknown codes map to UNKNOWN_SERVER_ERROR. */
    public static ErrorCode fromWireCode(short wireCode) {
        Errors errors = Errors.forCode(wireCode);
        try {
            return ErrorCode.valueOf(errors.name());
        } catch (IllegalArgumentException notMapped) {
            return ErrorCode.UNKNOWN_SERVER_ERROR;
        }
    }

    /** The error code for any throwable: a {@link MillraceException}'s own code, else UNKNOWN_SERVER_ERROR. */
    public static ErrorCode codeOf(Throwable error) {
        Throwable cause = error;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof MillraceException millrace ? millrace.code() : ErrorCode.UNKNOWN_SERVER_ERROR;
    }
}
