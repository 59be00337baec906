package io.millrace.metadata;

import io.millrace.protocol.ErrorCode;
import java.util.Map;
import java.util.UUID;

/**
 * The outcome of creating one topic. On error, {@code topicId} is null and the counts are -1.
 *
 * @param configs the explicitly set overrides of the created topic
 */
public record CreateTopicResult(String name, ErrorCode error, String errorMessage, UUID topicId,
                                int numPartitions, short replicationFactor, Map<String, String> configs) {
    public CreateTopicResult {
        configs = Map.copyOf(configs);
    }

    static CreateTopicResult failed(String name, ErrorCode error, String message) {
        return new CreateTopicResult(name, error, message, null, -1, (short) -1, Map.of());
    }
}
