package io.millrace.server.config;

/**
 * A configuration that cannot be used: an unknown key, a value that does not parse, or settings
 * that contradict each other. The message is meant for an operator and names the key, the value
 * and where it came from, so start-up prints it as one line instead of a stack trace.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
