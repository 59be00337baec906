package io.millrace.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameDecoderTest {
    private static final int MAX_FRAME = 64 * 1024;

    private final List<ByteBuf> frames = new ArrayList<>();
    private final List<Throwable> errors = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(MAX_FRAME),
            new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    frames.add((ByteBuf) msg);
                }

                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    errors.add(cause);
                }
            });

    @AfterEach
    void releaseFrames() {
        frames.forEach(ByteBuf::release);
        channel.finishAndReleaseAll();
    }

    private static byte[] payload(Random random, int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] framed(List<byte[]> payloads) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : payloads) {
            out.write(p.length >>> 24);
            out.write(p.length >>> 16);
            out.write(p.length >>> 8);
            out.write(p.length);
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] bytesOf(ByteBuf buf) {
        byte[] bytes = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), bytes);
        return bytes;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void framesSplitAnywhereAcrossReadsComeOutWhole(long seed) {
        Random random = new Random(seed);
        List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            payloads.add(payload(random, random.nextInt(10) == 0 ? 0 : random.nextInt(3 * 4096)));
        }
        byte[] stream = framed(payloads);

        for (int at = 0; at < stream.length; ) {
            int chunk = Math.min(stream.length - at, 1 + random.nextInt(random.nextBoolean() ? 7 : 20_000));
            channel.writeInbound(Unpooled.wrappedBuffer(stream, at, chunk));
            at += chunk;
        }

        assertThat(errors).isEmpty();
        assertThat(frames).hasSameSizeAs(payloads);
        for (int i = 0; i < payloads.size(); i++) {
            assertThat(bytesOf(frames.get(i))).as("frame %d", i).isEqualTo(payloads.get(i));
        }
    }

    @Test
    void aFrameSpreadOverReadsIsCopiedIntoABufferOfExactlyItsSize() {
        byte[] stream = framed(List.of(payload(new Random(9), 50_000)));

        channel.writeInbound(Unpooled.wrappedBuffer(stream, 0, 10_000));
        channel.writeInbound(Unpooled.wrappedBuffer(stream, 10_000, stream.length - 10_000));

        assertThat(frames).hasSize(1);
        assertThat(frames.get(0).capacity()).isEqualTo(50_000);
        assertThat(frames.get(0).maxCapacity()).isEqualTo(50_000);
    }

    @Test
    void aFrameWhollyInOneReadIsASliceOfIt() {
        ByteBuf read = Unpooled.wrappedBuffer(framed(List.of(new byte[] {1, 2, 3}, new byte[] {4})));

        channel.writeInbound(read);

        assertThat(frames).hasSize(2);
        assertThat(frames.get(0).unwrap()).isSameAs(read);
        assertThat(read.refCnt()).as("held by the two slices only").isEqualTo(2);
    }

    @ParameterizedTest(name = "size {0}")
    @ValueSource(ints = {MAX_FRAME + 1, Integer.MAX_VALUE, -1, Integer.MIN_VALUE})
    void aSizeAboveTheLimitOrBelowZeroFailsBeforeAnythingIsAllocatedAndTheRestIsDropped(int size) {
        ByteBuf bad = Unpooled.buffer().writeInt(size).writeBytes(new byte[100]);
        ByteBuf more = Unpooled.wrappedBuffer(framed(List.of(new byte[] {1})));

        channel.writeInbound(bad);
        channel.writeInbound(more);

        assertThat(frames).isEmpty();
        assertThat(errors).singleElement()
                .isInstanceOf(size < 0 ? CorruptedFrameException.class : TooLongFrameException.class);
        assertThat(bad.refCnt()).isZero();
        assertThat(more.refCnt()).isZero();
    }

    @Test
    void aFrameInProgressIsReleasedWhenTheConnectionCloses() {
        List<ByteBuf> allocated = new ArrayList<>();
        channel.config().setAllocator(new AbstractByteBufAllocator(false) {
            @Override
            protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
                ByteBuf buf = Unpooled.buffer(initialCapacity, maxCapacity);
                allocated.add(buf);
                return buf;
            }

            @Override
            protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
                ByteBuf buf = Unpooled.directBuffer(initialCapacity, maxCapacity);
                allocated.add(buf);
                return buf;
            }

            @Override
            public boolean isDirectBufferPooled() {
                return false;
            }
        });
        byte[] stream = framed(List.of(new byte[5000]));
        ByteBuf first = Unpooled.wrappedBuffer(stream, 0, 100);
        channel.writeInbound(first);
        channel.writeInbound(Unpooled.wrappedBuffer(stream, 100, 100));
        assertThat(allocated).singleElement().satisfies(frame -> assertThat(frame.refCnt()).isOne());

        channel.close();

        assertThat(frames).isEmpty();
        assertThat(first.refCnt()).isZero();
        assertThat(allocated.get(0).refCnt()).isZero();
    }

    @Test
    void withAutoReadOffAReadThatCompletesNoFrameAsksForAnother() {
        channel.config().setAutoRead(false);
        int[] reads = new int[1];
        channel.pipeline().addFirst(new io.netty.channel.ChannelOutboundHandlerAdapter() {
            @Override
            public void read(ChannelHandlerContext ctx) {
                reads[0]++;
                ctx.read();
            }
        });
        byte[] stream = framed(List.of(new byte[100]));

        channel.writeInbound(Unpooled.wrappedBuffer(stream, 0, 50));
        int afterPartial = reads[0];
        channel.writeInbound(Unpooled.wrappedBuffer(stream, 50, stream.length - 50));

        assertThat(afterPartial).isEqualTo(1);
        assertThat(reads[0]).as("no extra read once a frame was passed on").isEqualTo(1);
        assertThat(frames).hasSize(1);
    }
}
