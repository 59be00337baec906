package io.millrace.broker.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.metadata.TopicInfo;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.MillraceException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TopicCompressionTest {

    private static TopicInfo topic(Map<String, String> configs) {
        return new TopicInfo("t", UUID.randomUUID(), List.of(), configs);
    }

    @Test
    void defaultIsProducer() {
        assertThat(TopicCompression.typeOf(topic(Map.of()))).isEqualTo("producer");
        assertThat(TopicCompression.typeOf(topic(Map.of("compression.type", " zstd ")))).isEqualTo("zstd");
        assertThat(TopicCompression.typeOf(topic(Map.of("compression.type", "brotli")))).isEqualTo("producer");
    }

    @Test
    void producerTypeHandsBackTheSameBufferWithoutReadingIt() {
        ByteBuffer notEvenABatch = ByteBuffer.wrap(new byte[] {1, 2, 3});
        assertThat(TopicCompression.apply(topic(Map.of()), notEvenABatch)).isSameAs(notEvenABatch);
        assertThat(TopicCompression.apply(topic(Map.of("compression.type", "producer")), notEvenABatch))
                .isSameAs(notEvenABatch);
    }

    @Test
    void otherTypesReadTheBatchesAndRejectGarbage() {
        ByteBuffer garbage = ByteBuffer.wrap(new byte[] {1, 2, 3});
        assertThatThrownBy(() -> TopicCompression.apply(topic(Map.of("compression.type", "gzip")), garbage))
                .isInstanceOfSatisfying(MillraceException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT_MESSAGE));
    }
}
