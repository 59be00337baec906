package io.millrace.server.config;

import java.util.Objects;

/**
 * One row of the configuration table: a Kafka-style property name, its type and default as an
 * operator reads them, what it means, and the parser that validates it. Defaults are text and go
 * through the same parser as operator input, so a default can never be a value the parser would
 * reject.
 *
 * @param name         the property name, e.g. {@code log.segment.bytes}
 * @param type         the type as documented, e.g. {@code int}, {@code list}
 * @param defaultValue the default as text, or {@code null} when the key has none of its own (its
 *                     effective value is then derived from other keys, as the doc says)
 * @param doc          one or two sentences for the README and {@code millrace config-docs}
 * @param parser       validates and converts the text
 * @param <T>          the parsed type
 */
public record ConfigKey<T>(String name, String type, String defaultValue, String doc, ValueParser<T> parser) {

    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(doc, "doc");
        Objects.requireNonNull(parser, "parser");
    }

    public boolean hasDefault() {
        return defaultValue != null;
    }

    @Override
    public String toString() {
        return name;
    }
}
