package io.millrace.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.DefaultFileRegion;
import io.netty.util.ReferenceCountUtil;
import java.util.List;

/**
 * A complete response frame ready to be written to a Netty channel in order: each part is either
 * a {@link ByteBuf} or a {@link SegmentFileRegion}. {@link #sizeBytes()} counts every part,
 * including file regions, which Netty's own writability accounting counts as zero.
 */
public record EncodedResponse(List<Object> parts, long sizeBytes) {

    public EncodedResponse {
        for (Object part : parts) {
            if (!(part instanceof ByteBuf) && !(part instanceof DefaultFileRegion)) {
                throw new IllegalArgumentException("unsupported response part " + part.getClass());
            }
        }
        parts = List.copyOf(parts);
    }

    /** Releases every part; used when the connection closes before the response is written. */
    public void release() {
        for (Object part : parts) {
            ReferenceCountUtil.safeRelease(part);
        }
    }
}
