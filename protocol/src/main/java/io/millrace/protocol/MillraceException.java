package io.millrace.protocol;

import java.util.Objects;

/**
 * A domain failure that a client should see as a specific error. Thrown or returned by domain
 * code; the protocol edge turns {@link #code()} into the Kafka error code and uses
 * {@link #getMessage()} as the error message where the response has one.
 */
public class MillraceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public MillraceException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public MillraceException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }
}
