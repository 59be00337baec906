package io.millrace.broker.replica;

import io.millrace.metadata.TopicInfo;
import io.millrace.protocol.records.BatchRecompressor;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * A topic's {@code compression.type} applied to produced batches, as Kafka's {@code LogValidator}
 * does: under {@code producer} (the default) batches are stored as sent, with no copy; under any
 * other type, batches sent with another codec are rewritten with the topic's codec (at the level
 * of the topic's {@code compression.<codec>.level} override, if any) before the append.
 * Stateless; safe from any thread.
 */
public final class TopicCompression {
    static final String COMPRESSION_TYPE = "compression.type";

    private TopicCompression() {
    }

    /** The topic's compression type: its override, else Kafka's default {@code producer}. */
    public static String typeOf(TopicInfo topic) {
        String value = topic.configs().get(COMPRESSION_TYPE);
        if (value == null) {
            return BatchRecompressor.PRODUCER;
        }
        String type = value.trim();
        // Metadata validates the value; anything it let through unknown is treated as the default.
        return BatchRecompressor.isValidType(type) ? type : BatchRecompressor.PRODUCER;
    }

    /**
     * The batches to append for {@code topic}: {@code records} itself unless the topic's type
     * requires rewriting some batch.
     *
     * @throws io.millrace.protocol.MillraceException CORRUPT_MESSAGE (or INVALID_RECORD for legacy
     *         batches) when the batches must be rewritten but cannot be read
     */
    public static ByteBuffer apply(TopicInfo topic, ByteBuffer records) {
        String type = typeOf(topic);
        if (BatchRecompressor.PRODUCER.equals(type)) {
            return records;
        }
        return BatchRecompressor.recompress(records, type, levelOf(topic.configs(), type));
    }

    private static Integer levelOf(Map<String, String> configs, String type) {
        String value = switch (type) {
            case "gzip", "lz4", "zstd" -> configs.get("compression." + type + ".level");
            default -> null;
        };
        return value == null ? null : Integer.valueOf(value.trim());
    }
}
