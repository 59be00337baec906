package io.millrace.metadata;

import io.millrace.protocol.ErrorCode;
import java.util.Objects;

/** An error code and an optional message; {@link #NONE} means success. */
public record ErrorResult(ErrorCode error, String errorMessage) {
    public static final ErrorResult NONE = new ErrorResult(ErrorCode.NONE, null);

    public ErrorResult {
        Objects.requireNonNull(error, "error");
    }

    public boolean isSuccess() {
        return error == ErrorCode.NONE;
    }
}
