package io.millrace.protocol.codec;

import io.millrace.protocol.EncodedResponse;
import io.millrace.protocol.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * Produce versions 0-2. Kafka 4 removed them but still advertises Produce from version 0 (older
 * librdkafka releases refuse to produce compressed batches otherwise, KAFKA-18659); kafka-clients
 * 4.3.1 can no longer read or write them, so this class reads such a request and answers every
 * partition with UNSUPPORTED_VERSION, by hand, in the old non-flexible layout:
 *
 * <pre>
 * request:  acks int16, timeout int32, [topic string, [partition int32, records bytes]]
 * response: [topic string, [partition int32, error int16, base_offset int64, log_append_time int64 (v2)]],
 *           throttle_time_ms int32 (v1+)
 * </pre>
 *
 * An acks=0 request gets no answer (the caller closes the connection, as Kafka does for a failed
 * acks=0 produce).
 */
public final class LegacyProduceRejection {

    /** The oldest Produce version served. */
    public static final short FIRST_SERVED_VERSION = 3;

    private LegacyProduceRejection() {
    }

    /**
     * The UNSUPPORTED_VERSION response, or empty when the request had acks=0.
     *
     * @throws IllegalArgumentException if the body is not a well-formed v0-2 produce request
     */
    public static Optional<EncodedResponse> reject(ByteBuffer body, short version, int correlationId) {
        if (version < 0 || version >= FIRST_SERVED_VERSION) {
            throw new IllegalArgumentException("Produce version " + version + " is not a legacy version");
        }
        ByteBuffer in = body.duplicate();
        try {
            short acks = in.getShort();
            in.getInt();
            int topicCount = in.getInt();
            checkCount(topicCount, in);
            ByteBuf out = Unpooled.buffer();
            out.writeInt(0).writeInt(correlationId).writeInt(topicCount);
            for (int t = 0; t < topicCount; t++) {
                byte[] name = string(in);
                int partitionCount = in.getInt();
                checkCount(partitionCount, in);
                out.writeShort(name.length).writeBytes(name).writeInt(partitionCount);
                for (int p = 0; p < partitionCount; p++) {
                    int partition = in.getInt();
                    int size = in.getInt();
                    if (size > 0) {
                        in.position(Math.addExact(in.position(), size));
                    }
                    out.writeInt(partition).writeShort(Codecs.code(ErrorCode.UNSUPPORTED_VERSION)).writeLong(-1L);
                    if (version >= 2) {
                        out.writeLong(-1L);
                    }
                }
            }
            if (version >= 1) {
                out.writeInt(0);
            }
            if (acks == 0) {
                out.release();
                return Optional.empty();
            }
            out.setInt(0, out.readableBytes() - 4);
            return Optional.of(new EncodedResponse(List.of(out), out.readableBytes()));
        } catch (RuntimeException malformed) {
            throw new IllegalArgumentException("malformed Produce v" + version + " request", malformed);
        }
    }

    private static void checkCount(int count, ByteBuffer in) {
        if (count < 0 || count > in.remaining()) {
            throw new IllegalArgumentException("array length " + count + " with " + in.remaining() + " bytes left");
        }
    }

    private static byte[] string(ByteBuffer in) {
        short length = in.getShort();
        if (length < 0) {
            throw new IllegalArgumentException("null topic name");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }
}
