package io.millrace.metadata;

/** One topic config as DescribeConfigs reports it. */
public record ConfigEntry(String name, String value, ConfigSource source, boolean readOnly,
                          boolean sensitive, ConfigType type, String documentation) {
}
