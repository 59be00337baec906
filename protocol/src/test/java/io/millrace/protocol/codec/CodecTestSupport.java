package io.millrace.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.protocol.EncodedResponse;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Message;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ResponseHeader;

/** Serializes requests with kafka-clients and parses Millrace's response frames back with it. */
final class CodecTestSupport {

    private CodecTestSupport() {
    }

    /** The request body kafka-clients writes for {@code data} at {@code version}. */
    static ByteBuffer requestBody(Message data, short version) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ByteBuffer buffer = ByteBuffer.allocate(data.size(cache, version));
        data.write(new ByteBufferAccessor(buffer), cache, version);
        buffer.flip();
        return buffer;
    }

    /** Parses a whole response frame as a Kafka client would, checking size prefix and correlation id. */
    @SuppressWarnings("unchecked")
    static <T extends AbstractResponse> T parseResponse(EncodedResponse encoded, ApiKeys apiKey, short version,
                                                        int correlationId) {
        ByteBuffer frame = ByteBuffer.allocate(Math.toIntExact(encoded.sizeBytes()));
        try {
            for (Object part : encoded.parts()) {
                frame.put(((ByteBuf) part).nioBuffer());
            }
        } finally {
            encoded.release();
        }
        frame.flip();
        assertThat(frame.getInt()).isEqualTo(frame.remaining());
        ResponseHeader header = ResponseHeader.parse(frame, apiKey.responseHeaderVersion(version));
        assertThat(header.correlationId()).isEqualTo(correlationId);
        T response = (T) AbstractResponse.parseResponse(apiKey, new ByteBufferAccessor(frame), version);
        assertThat(frame.hasRemaining()).isFalse();
        return response;
    }
}
