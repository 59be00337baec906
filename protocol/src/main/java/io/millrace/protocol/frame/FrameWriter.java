package io.millrace.protocol.frame;

import io.millrace.protocol.EncodedResponse;
import io.millrace.protocol.SegmentFileRegion;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.protocol.Writable;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * A {@link Writable} that collects a frame as an ordered list of parts: bytes go into pooled
 * Netty buffers, and each {@link FileSliceRecords} becomes a {@link SegmentFileRegion} between
 * them. A new buffer is started only when bytes follow a region, so a frame without file data is
 * a single buffer.
 *
 * <p>Thread-safety: one instance writes one frame on one thread.
 */
final class FrameWriter implements Writable {

    private final ByteBufAllocator allocator;
    private final List<Object> parts = new ArrayList<>();
    private final int bytesAfterRegionHint;
    private ByteBuf current;

    /**
     * @param bytesCapacity the number of non-file bytes expected in total, sized for the first buffer
     */
    FrameWriter(ByteBufAllocator allocator, int bytesCapacity) {
        this.allocator = allocator;
        this.current = allocator.directBuffer(Math.max(bytesCapacity, 16));
        this.bytesAfterRegionHint = 128;
    }

    /** Ends the frame; the caller owns the parts from now on. */
    EncodedResponse finish(long sizeBytes) {
        if (current != null && current.isReadable()) {
            parts.add(current);
        } else if (current != null) {
            current.release();
        }
        current = null;
        long counted = 0;
        for (Object part : parts) {
            counted += part instanceof ByteBuf buf ? buf.readableBytes() : ((SegmentFileRegion) part).count();
        }
        EncodedResponse response = new EncodedResponse(parts, counted);
        if (counted != sizeBytes) {
            response.release();
            throw new IllegalStateException("frame has " + counted + " bytes but its size says " + sizeBytes);
        }
        return response;
    }

    /** Releases everything written so far; used when encoding fails half way. */
    void discard() {
        if (current != null) {
            current.release();
            current = null;
        }
        for (Object part : parts) {
            ReferenceCountUtil.safeRelease(part);
        }
        parts.clear();
    }

    private ByteBuf bytes() {
        if (current == null) {
            current = allocator.directBuffer(bytesAfterRegionHint);
        }
        return current;
    }

    @Override
    public void writeRecords(BaseRecords records) {
        if (records instanceof FileSliceRecords file) {
            if (file.sizeInBytes() == 0) {
                return;
            }
            if (current != null && current.isReadable()) {
                parts.add(current);
            } else if (current != null) {
                current.release();
            }
            current = null;
            parts.add(new SegmentFileRegion(file.slice()));
        } else if (records instanceof MemoryRecords memory) {
            writeByteBuffer(memory.buffer());
        } else {
            throw new IllegalArgumentException("cannot write records of type " + records.getClass().getName());
        }
    }

    @Override
    public void writeByte(byte val) {
        bytes().writeByte(val);
    }

    @Override
    public void writeShort(short val) {
        bytes().writeShort(val);
    }

    @Override
    public void writeInt(int val) {
        bytes().writeInt(val);
    }

    @Override
    public void writeLong(long val) {
        bytes().writeLong(val);
    }

    @Override
    public void writeDouble(double val) {
        bytes().writeDouble(val);
    }

    @Override
    public void writeByteArray(byte[] arr) {
        bytes().writeBytes(arr);
    }

    @Override
    public void writeUnsignedVarint(int i) {
        ByteBuf out = bytes();
        int value = i;
        while ((value & 0xffffff80) != 0) {
            out.writeByte((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.writeByte(value);
    }

    @Override
    public void writeByteBuffer(ByteBuffer buf) {
        bytes().writeBytes(buf.duplicate());
    }

    @Override
    public void writeVarint(int i) {
        writeUnsignedVarint((i << 1) ^ (i >> 31));
    }

    @Override
    public void writeVarlong(long i) {
        ByteBuf out = bytes();
        long value = (i << 1) ^ (i >> 63);
        while ((value & 0xffffffffffffff80L) != 0L) {
            out.writeByte(((int) value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.writeByte((int) value);
    }
}
