package io.millrace.server.config;

import java.util.Objects;

/**
 * A configuration value as given, before parsing, with where it came from ("config file
 * server.properties", "environment variable MILLRACE_LOG_DIRS", "--override"), so that an error
 * can point the operator at the place to fix.
 */
public record Setting(String value, String source) {

    public Setting {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(source, "source");
    }
}
