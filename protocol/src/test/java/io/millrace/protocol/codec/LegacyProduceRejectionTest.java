package io.millrace.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.protocol.EncodedResponse;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class LegacyProduceRejectionTest {

    private static ByteBuffer request(short acks, int partitions) {
        ByteBuffer body = ByteBuffer.allocate(64);
        body.putShort(acks).putInt(1000).putInt(1).putShort((short) 1).put((byte) 't').putInt(partitions);
        for (int p = 0; p < partitions; p++) {
            body.putInt(p).putInt(2).put(new byte[] {9, 9});
        }
        return body.flip();
    }

    @Test
    void everyPartitionGetsUnsupportedVersionInTheV2Layout() {
        EncodedResponse response = LegacyProduceRejection.reject(request((short) 1, 2), (short) 2, 5).orElseThrow();
        ByteBuf frame = (ByteBuf) response.parts().get(0);
        assertThat(frame.readInt()).isEqualTo(frame.readableBytes());
        assertThat(frame.readInt()).isEqualTo(5);
        assertThat(frame.readInt()).isEqualTo(1);
        assertThat(frame.readShort()).isEqualTo((short) 1);
        assertThat(frame.readByte()).isEqualTo((byte) 't');
        assertThat(frame.readInt()).isEqualTo(2);
        for (int p = 0; p < 2; p++) {
            assertThat(frame.readInt()).isEqualTo(p);
            assertThat(frame.readShort()).isEqualTo((short) 35);
            assertThat(frame.readLong()).isEqualTo(-1L);
            assertThat(frame.readLong()).isEqualTo(-1L);
        }
        assertThat(frame.readInt()).as("throttle time").isZero();
        assertThat(frame.readableBytes()).isZero();
        response.release();
    }

    @Test
    void acksZeroGetsNoResponse() {
        assertThat(LegacyProduceRejection.reject(request((short) 0, 1), (short) 0, 5)).isEmpty();
    }

    @Test
    void malformedRequestIsRefused() {
        ByteBuffer truncated = request((short) 1, 1);
        truncated.limit(truncated.limit() - 3);
        assertThatThrownBy(() -> LegacyProduceRejection.reject(truncated, (short) 1, 5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LegacyProduceRejection.reject(request((short) 1, 1), (short) 3, 5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
