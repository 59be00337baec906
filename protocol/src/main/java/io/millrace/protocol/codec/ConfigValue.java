package io.millrace.protocol.codec;

import java.util.List;

/**
 * One config as CreateTopics (v5+) and DescribeConfigs report it. Sources and types carry Kafka's
 * wire ids; domain code maps its own enums to these by name.
 *
 * @param synonyms where the value could come from, highest precedence first; empty unless asked for
 * @param documentation null unless the client asked for documentation
 */
public record ConfigValue(String name, String value, Source source, boolean readOnly, boolean sensitive,
                          Type type, String documentation, List<Synonym> synonyms) {

    public ConfigValue {
        synonyms = List.copyOf(synonyms);
    }

    /** Kafka's DescribeConfigsResponse.ConfigSource, by wire id. */
    public enum Source {
        UNKNOWN(0),
        DYNAMIC_TOPIC_CONFIG(1),
        DYNAMIC_BROKER_CONFIG(2),
        DYNAMIC_DEFAULT_BROKER_CONFIG(3),
        STATIC_BROKER_CONFIG(4),
        DEFAULT_CONFIG(5),
        DYNAMIC_BROKER_LOGGER_CONFIG(6),
        CLIENT_METRICS_CONFIG(7),
        GROUP_CONFIG(8);

        private final byte id;

        Source(int id) {
            this.id = (byte) id;
        }

        public byte id() {
            return id;
        }
    }

    /** Kafka's DescribeConfigsResponse.ConfigType, by wire id. */
    public enum Type {
        UNKNOWN(0), BOOLEAN(1), STRING(2), INT(3), SHORT(4), LONG(5), DOUBLE(6), LIST(7), CLASS(8), PASSWORD(9);

        private final byte id;

        Type(int id) {
            this.id = (byte) id;
        }

        public byte id() {
            return id;
        }
    }

    public record Synonym(String name, String value, Source source) {
    }
}
