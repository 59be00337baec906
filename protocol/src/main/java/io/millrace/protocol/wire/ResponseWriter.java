package io.millrace.protocol.wire;

import io.millrace.protocol.EncodedResponse;
import io.millrace.protocol.SegmentFileRegion;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.MessageSizeAccumulator;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.protocol.Writable;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.ResponseHeader;

/**
 * Serializes a response frame — size prefix, response header, body — into pooled Netty buffers,
 * emitting every records field that holds a {@link FileSliceRecords} as a {@link SegmentFileRegion}
 * in its place, so fetched log data goes from the page cache to the socket without a copy.
 *
 * <p>Thread-safety: each instance writes one response and is confined to one thread.
 */
public final class ResponseWriter implements Writable {

    private final ByteBufAllocator allocator;
    private final List<Object> parts = new ArrayList<>();
    private ByteBuf current;

    private ResponseWriter(ByteBufAllocator allocator, int initialCapacity) {
        this.allocator = allocator;
        this.current = allocator.directBuffer(initialCapacity);
    }

    /** Encodes {@code body} as the complete response frame for {@code apiKey} at {@code version}. */
    public static EncodedResponse encode(ApiMessage body, ApiKeys apiKey, short version, int correlationId) {
        short headerVersion = apiKey.responseHeaderVersion(version);
        ResponseHeader header = new ResponseHeader(correlationId, headerVersion);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        MessageSizeAccumulator headerSize = new MessageSizeAccumulator();
        header.data().addSize(headerSize, cache, headerVersion);
        MessageSizeAccumulator bodySize = new MessageSizeAccumulator();
        body.addSize(bodySize, cache, version);
        int frameSize = headerSize.totalSize() + bodySize.totalSize();
        ResponseWriter writer = new ResponseWriter(ByteBufAllocator.DEFAULT,
                4 + headerSize.totalSize() + bodySize.sizeExcludingZeroCopy());
        try {
            writer.writeInt(frameSize);
            header.data().write(writer, cache, headerVersion);
            body.write(writer, cache, version);
            return writer.finish(4L + frameSize);
        } catch (RuntimeException failure) {
            writer.release();
            throw failure;
        }
    }

    private EncodedResponse finish(long expectedSize) {
        if (current.isReadable()) {
            parts.add(current);
        } else {
            current.release();
        }
        current = null;
        EncodedResponse response = new EncodedResponse(parts, expectedSize);
        long written = 0;
        for (Object part : parts) {
            written += part instanceof ByteBuf buf ? buf.readableBytes() : ((SegmentFileRegion) part).count();
        }
        if (written != expectedSize) {
            response.release();
            throw new IllegalStateException("response frame has " + written + " bytes, expected " + expectedSize);
        }
        return response;
    }

    private void release() {
        if (current != null) {
            current.release();
        }
        new EncodedResponse(parts, 0).release();
    }

    @Override
    public void writeRecords(BaseRecords records) {
        if (records instanceof FileSliceRecords fileRecords) {
            if (fileRecords.sizeInBytes() == 0) {
                return;
            }
            parts.add(current);
            parts.add(new SegmentFileRegion(fileRecords.slice()));
            current = allocator.directBuffer(256);
        } else if (records instanceof MemoryRecords memory) {
            writeByteBuffer(memory.buffer());
        } else {
            throw new IllegalArgumentException("unsupported records type " + records.getClass().getName());
        }
    }

    @Override
    public void writeByte(byte val) {
        current.writeByte(val);
    }

    @Override
    public void writeShort(short val) {
        current.writeShort(val);
    }

    @Override
    public void writeInt(int val) {
        current.writeInt(val);
    }

    @Override
    public void writeLong(long val) {
        current.writeLong(val);
    }

    @Override
    public void writeDouble(double val) {
        current.writeDouble(val);
    }

    @Override
    public void writeByteArray(byte[] arr) {
        current.writeBytes(arr);
    }

    @Override
    public void writeUnsignedVarint(int i) {
        int value = i;
        while ((value & 0xffffff80) != 0) {
            current.writeByte((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        current.writeByte(value);
    }

    @Override
    public void writeByteBuffer(ByteBuffer buf) {
        current.writeBytes(buf.duplicate());
    }

    @Override
    public void writeVarint(int i) {
        writeUnsignedVarint((i << 1) ^ (i >> 31));
    }

    @Override
    public void writeVarlong(long i) {
        long value = (i << 1) ^ (i >> 63);
        while ((value & 0xffffffffffffff80L) != 0L) {
            current.writeByte(((int) value & 0x7f) | 0x80);
            value >>>= 7;
        }
        current.writeByte((int) value);
    }

    @Override
    public void writeUuid(Uuid uuid) {
        writeLong(uuid.getMostSignificantBits());
        writeLong(uuid.getLeastSignificantBits());
    }
}
