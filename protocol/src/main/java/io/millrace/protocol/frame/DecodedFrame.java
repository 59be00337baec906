package io.millrace.protocol.frame;

import java.nio.ByteBuffer;

/**
 * A request frame split into its header and its body. {@code body} is a view of the frame's bytes
 * positioned at the first byte after the header; it shares memory with the frame, so it is valid
 * only while the frame's buffer is.
 */
public record DecodedFrame(RequestHeader header, ByteBuffer body) {
}
