package io.millrace.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.protocol.EncodedResponse;
import io.millrace.protocol.SegmentFileRegion;
import io.millrace.protocol.wire.RequestHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;

/**
 * Wire helpers for the ApiVersions, Metadata, Produce, Fetch, ListOffsets, OffsetForLeaderEpoch and
 * InitProducerId codec tests: build request frames with kafka-clients, and read Millrace's response
 * frames back — including zero-copy file regions — exactly as a Kafka client would.
 */
final class WireFrames {

    static final String CLIENT_ID = "codec-test";

    private WireFrames() {
    }

    /** Every version kafka-clients 4.3.1 accepts for {@code apiKey}. */
    static Stream<Short> versions(ApiKeys apiKey) {
        return IntStream.rangeClosed(apiKey.oldestVersion(), apiKey.latestVersion()).mapToObj(v -> (short) v);
    }

    /**
     * Serializes header and body as kafka-clients does, parses the header with
     * {@link RequestHeaders#parse} and returns the body it hands to the codec.
     */
    static ByteBuffer requestBody(ApiKeys apiKey, short version, int correlationId, ApiMessage body) {
        RequestHeader header = new RequestHeader(apiKey, version, CLIENT_ID, correlationId);
        ByteBuffer headerBytes = MessageUtil.toByteBufferAccessor(header.data(), header.headerVersion()).buffer();
        ByteBuffer bodyBytes = MessageUtil.toByteBufferAccessor(body, version).buffer();
        ByteBuffer frame = ByteBuffer.allocate(headerBytes.remaining() + bodyBytes.remaining());
        frame.put(headerBytes).put(bodyBytes).flip();
        RequestHeaders.Decoded decoded = RequestHeaders.parse(frame);
        assertThat(decoded.header()).isEqualTo(
                new RequestHeaders.Header(apiKey.id, version, correlationId, CLIENT_ID));
        assertThat(decoded.body().remaining()).isEqualTo(bodyBytes.limit());
        return decoded.body();
    }

    /** The kinds of the parts of {@code encoded}, in order ("buf" or "file"), without consuming it. */
    static List<String> partKinds(EncodedResponse encoded) {
        List<String> kinds = new ArrayList<>();
        for (Object part : encoded.parts()) {
            kinds.add(part instanceof ByteBuf ? "buf" : part instanceof SegmentFileRegion ? "file" : part.getClass().getName());
        }
        return kinds;
    }

    /**
     * Every byte of the frame, in part order: ByteBufs as they are, file regions read from their
     * file channel range. Releases every part and checks {@link EncodedResponse#sizeBytes()}.
     */
    static ByteBuffer frameBytes(EncodedResponse encoded) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WritableByteChannel sink = Channels.newChannel(out);
        try {
            for (Object part : encoded.parts()) {
                if (part instanceof ByteBuf buf) {
                    byte[] bytes = new byte[buf.readableBytes()];
                    buf.getBytes(buf.readerIndex(), bytes);
                    out.write(bytes);
                } else {
                    SegmentFileRegion region = (SegmentFileRegion) part;
                    while (region.transferred() < region.count()) {
                        long written = region.transferTo(sink, region.transferred());
                        assertThat(written).as("file region made no progress").isPositive();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (Object part : encoded.parts()) {
                ReferenceCountUtil.release(part);
            }
        }
        assertThat((long) out.size()).as("sizeBytes()").isEqualTo(encoded.sizeBytes());
        return ByteBuffer.wrap(out.toByteArray());
    }

    /**
     * Parses a whole response frame as a Kafka client would: size prefix equal to the rest,
     * the response header of the right version with the correlation id, then the body, with no
     * bytes left over.
     */
    @SuppressWarnings("unchecked")
    static <T extends AbstractResponse> T parseResponse(EncodedResponse encoded, ApiKeys apiKey, short version,
                                                        int correlationId) {
        ByteBuffer frame = frameBytes(encoded);
        assertThat(frame.getInt()).as("size prefix").isEqualTo(frame.remaining());
        ResponseHeader header = ResponseHeader.parse(frame, apiKey.responseHeaderVersion(version));
        assertThat(header.correlationId()).isEqualTo(correlationId);
        T response = (T) AbstractResponse.parseResponse(apiKey, new ByteBufferAccessor(frame), version);
        assertThat(frame.hasRemaining()).as("bytes after the response body").isFalse();
        return response;
    }
}
