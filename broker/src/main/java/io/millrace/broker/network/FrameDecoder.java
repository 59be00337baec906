package io.millrace.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;

/**
 * Splits a connection's bytes into Kafka request frames (a 4-byte big-endian size, then that
 * many bytes) and passes each frame on without its size. A size above {@code maxFrameBytes} or
 * below 0 fails the connection as soon as the size is read, before anything is allocated for it.
 *
 * <p>A frame that arrived whole in one read is passed on as a slice of the read buffer. A frame
 * spread over several reads is copied into a buffer of exactly its size. Netty's
 * {@code LengthFieldBasedFrameDecoder} instead gathers the bytes in one buffer that doubles as it
 * grows; under issue 4's W5 (produce requests of up to 1 MiB) that buffer often doubled past the
 * pooled allocator's 1 MiB limit, and each request then took a fresh, zeroed 2 MiB from the
 * operating system: 8.8% of the broker's CPU samples.
 *
 * <p>Like Netty's decoders, when no frame was completed by a read and auto-read is off, it asks
 * for another read so that a frame in progress is not left waiting. Not sharable: one per channel.
 */
final class FrameDecoder extends ChannelInboundHandlerAdapter {
    private static final int SIZE_BYTES = 4;

    private final int maxFrameBytes;
    /** Bytes of the size read so far (0–4) and their value; used only while {@link #frame} is null. */
    private int sizeBytesRead;
    private int size;
    /** The frame being filled by later reads, or null while a size is being read. */
    private ByteBuf frame;
    private boolean failed;
    private boolean passedFrame;

    FrameDecoder(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            while (!failed && in.isReadable() && !ctx.isRemoved()) {
                if (frame == null && !readSize(ctx, in)) {
                    return;
                }
                if (frame == null) {
                    continue; // the whole frame was in this read and has been passed on
                }
                frame.writeBytes(in, Math.min(frame.writableBytes(), in.readableBytes()));
                if (!frame.isWritable()) {
                    ByteBuf complete = frame;
                    frame = null;
                    pass(ctx, complete);
                }
            }
        } finally {
            in.release();
        }
    }

    /**
     * Reads (the rest of) a size. When the whole frame follows in {@code in}, passes it on as a
     * slice; otherwise allocates {@link #frame}. Returns false when the size is not complete yet or
     * is refused.
     */
    private boolean readSize(ChannelHandlerContext ctx, ByteBuf in) {
        if (sizeBytesRead == 0 && in.readableBytes() >= SIZE_BYTES) {
            size = in.readInt();
            sizeBytesRead = SIZE_BYTES;
        } else {
            while (sizeBytesRead < SIZE_BYTES && in.isReadable()) {
                size = (size << 8) | in.readUnsignedByte();
                sizeBytesRead++;
            }
            if (sizeBytesRead < SIZE_BYTES) {
                return false;
            }
        }
        int frameBytes = size;
        sizeBytesRead = 0;
        size = 0;
        if (frameBytes < 0 || frameBytes > maxFrameBytes) {
            failed = true;
            ctx.fireExceptionCaught(frameBytes < 0
                    ? new CorruptedFrameException("Negative frame size " + frameBytes)
                    : new TooLongFrameException("Frame of " + frameBytes + " bytes is larger than "
                            + "socket.request.max.bytes " + maxFrameBytes));
            return false;
        }
        if (in.readableBytes() >= frameBytes) {
            pass(ctx, in.readRetainedSlice(frameBytes));
        } else {
            frame = ctx.alloc().buffer(frameBytes, frameBytes);
        }
        return true;
    }

    private void pass(ChannelHandlerContext ctx, ByteBuf complete) {
        passedFrame = true;
        ctx.fireChannelRead(complete);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!passedFrame && !failed && !ctx.channel().config().isAutoRead()) {
            ctx.read();
        }
        passedFrame = false;
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseFrame();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseFrame();
    }

    private void releaseFrame() {
        if (frame != null) {
            frame.release();
            frame = null;
        }
    }
}
