package io.millrace.metadata;

import java.util.Optional;

/**
 * Kafka's rules for topic names (its {@code Topic.validate} and the collision check between
 * names that differ only by '.' and '_', which would share metric names).
 *
 * <p>Thread-safety: stateless.
 */
final class TopicNames {
    static final int MAX_NAME_LENGTH = 249;

    private TopicNames() {
    }

    /** Why {@code name} is not a legal topic name, in Kafka's words, or empty when it is legal. */
    static Optional<String> invalidReason(String name) {
        if (name.isEmpty()) {
            return Optional.of("Topic name is illegal, it can't be empty");
        }
        if (name.equals(".") || name.equals("..")) {
            return Optional.of("Topic name cannot be \".\" or \"..\"");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return Optional.of("Topic name is illegal, it can't be longer than " + MAX_NAME_LENGTH
                    + " characters, topic name: " + name);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!legal) {
                return Optional.of("Topic name \"" + name + "\" is illegal, it contains a character other than"
                        + " ASCII alphanumerics, '.', '_' and '-'");
            }
        }
        return Optional.empty();
    }

    /** An existing topic whose name equals {@code name} once '.' is read as '_', other than itself. */
    static Optional<String> collidingTopic(MetadataImage image, String name) {
        if (name.indexOf('.') < 0 && name.indexOf('_') < 0) {
            return Optional.empty();
        }
        String normalized = name.replace('.', '_');
        return image.topicsByName().keySet().stream()
                .filter(existing -> !existing.equals(name) && existing.replace('.', '_').equals(normalized))
                .findFirst();
    }
}
