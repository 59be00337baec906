package io.millrace.metadata;

import io.millrace.protocol.ErrorCode;
import java.util.UUID;

/** The outcome of an operation on one topic; {@code name} or {@code topicId} may be null when unknown. */
public record TopicResult(String name, UUID topicId, ErrorCode error, String errorMessage) {
}
