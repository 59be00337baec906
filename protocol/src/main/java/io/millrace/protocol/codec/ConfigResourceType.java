package io.millrace.protocol.codec;

/**
 * Kafka's ConfigResource.Type by wire id, for DescribeConfigs, AlterConfigs and
 * IncrementalAlterConfigs. Requests keep the raw byte so that responses echo exactly what the
 * client sent, even for ids this enum does not know.
 */
public enum ConfigResourceType {
    UNKNOWN(0),
    TOPIC(2),
    BROKER(4),
    BROKER_LOGGER(8),
    CLIENT_METRICS(16),
    GROUP(32);

    private final byte id;

    ConfigResourceType(int id) {
        this.id = (byte) id;
    }

    public byte id() {
        return id;
    }

    /** The type with this wire id, or {@link #UNKNOWN}. */
    public static ConfigResourceType of(byte id) {
        for (ConfigResourceType type : values()) {
            if (type.id == id) {
                return type;
            }
        }
        return UNKNOWN;
    }
}
