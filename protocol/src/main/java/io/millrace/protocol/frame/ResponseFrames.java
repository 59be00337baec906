package io.millrace.protocol.frame;

import io.millrace.protocol.EncodedResponse;
import io.netty.buffer.ByteBufAllocator;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.MessageSizeAccumulator;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.ResponseHeader;

/**
 * Frames a response the way a Kafka broker does: a 4-byte size, the response header, the body.
 *
 * <p>The header version follows the request's API and version ({@code
 * ApiKeys.responseHeaderVersion}): v1, with tagged fields, for flexible versions, except
 * ApiVersions, whose responses always use header v0 so that a client that does not yet know the
 * broker's versions can read them. Records fields holding {@link FileSliceRecords} are emitted
 * as zero-copy file regions at their place in the frame; everything else goes into pooled direct
 * buffers. The size is computed before writing, so the frame is never copied to learn it.
 *
 * <p>This class speaks kafka-clients types because only codecs in this module call it.
 *
 * <p>Thread-safety: stateless; each call writes an independent frame.
 */
public final class ResponseFrames {

    private ResponseFrames() {
    }

    /** Encodes with Netty's default pooled allocator. */
    public static EncodedResponse encode(ApiMessage body, ApiKeys apiKey, short version, int correlationId) {
        return encode(ByteBufAllocator.DEFAULT, body, apiKey, version, correlationId);
    }

    /**
     * Encodes {@code body} as the complete response frame for {@code apiKey} at {@code version}.
     *
     * @throws IllegalArgumentException when the body's API does not match {@code apiKey}
     */
    public static EncodedResponse encode(ByteBufAllocator allocator, ApiMessage body, ApiKeys apiKey, short version,
                                         int correlationId) {
        if (body.apiKey() != apiKey.id) {
            throw new IllegalArgumentException("a " + body.getClass().getSimpleName() + " is not a " + apiKey + " body");
        }
        short headerVersion = apiKey.responseHeaderVersion(version);
        ResponseHeader header = new ResponseHeader(correlationId, headerVersion);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        MessageSizeAccumulator size = new MessageSizeAccumulator();
        header.data().addSize(size, cache, headerVersion);
        body.addSize(size, cache, version);
        FrameWriter writer = new FrameWriter(allocator, 4 + size.sizeExcludingZeroCopy());
        try {
            writer.writeInt(size.totalSize());
            header.data().write(writer, cache, headerVersion);
            body.write(writer, cache, version);
            return writer.finish(4L + size.totalSize());
        } catch (RuntimeException failure) {
            writer.discard();
            throw failure;
        }
    }
}
