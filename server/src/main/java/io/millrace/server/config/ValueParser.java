package io.millrace.server.config;

/**
 * Turns the text of one configuration value into its typed form. A parser throws
 * {@link IllegalArgumentException} whose message says what is wrong with the text ("must be at
 * least 1"); the caller adds which key and which source the text came from, so parsers stay
 * reusable across keys.
 *
 * @param <T> the parsed type
 */
@FunctionalInterface
public interface ValueParser<T> {
    T parse(String text);
}
