package io.millrace.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads the whole batches of a sealed segment in order through one buffer of
 * {@code readBufferBytes}, grown only to hold a single batch larger than that, so the log
 * cleaner's memory per read is bounded. Each batch's CRC is checked before it is handed on.
 *
 * <p>Not thread-safe: one instance per cleaning pass, on the cleaner thread.
 */
final class SegmentBatchReader {

    /** Receives one batch; {@code batch} holds exactly the batch from position 0 and is valid only during the call. */
    interface BatchSink {
        void accept(BatchHeader header, ByteBuffer batch) throws IOException;
    }

    private final int readBufferBytes;
    private ByteBuffer buffer;

    SegmentBatchReader(int readBufferBytes) {
        if (readBufferBytes < BatchFormat.HEADER_SIZE) {
            throw new IllegalArgumentException("readBufferBytes " + readBufferBytes + " must be >= "
                    + BatchFormat.HEADER_SIZE);
        }
        this.readBufferBytes = readBufferBytes;
        this.buffer = ByteBuffer.allocate(readBufferBytes);
    }

    /**
     * Calls {@code sink} with every batch of {@code segment}; positions in the headers are file positions.
     *
     * @return bytes read
     * @throws IOException also when a batch is malformed or its CRC does not match
     */
    long forEach(LogSegment segment, BatchSink sink) throws IOException {
        FileChannel channel = segment.channel();
        long size = segment.size();
        long position = 0;
        while (position + BatchFormat.HEADER_SIZE <= size) {
            ByteBuffer buf = buffer;
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), size - position));
            readFully(channel, buf, position);
            buf.flip();
            int consumed = 0;
            while (buf.limit() - consumed >= BatchFormat.HEADER_SIZE) {
                int batchSize = buf.getInt(consumed + BatchFormat.LENGTH) + BatchFormat.LOG_OVERHEAD;
                if (batchSize < BatchFormat.HEADER_SIZE || position + consumed + batchSize > size) {
                    throw new IOException("Malformed batch of " + batchSize + " bytes at position "
                            + (position + consumed) + " of " + segment);
                }
                if (consumed + batchSize > buf.limit()) {
                    break;
                }
                if (!BatchFormat.crcMatches(buf, consumed, batchSize)) {
                    throw new IOException("CRC mismatch in the batch at position " + (position + consumed)
                            + " of " + segment);
                }
                BatchHeader header = BatchHeader.read(buf, consumed, position + consumed);
                ByteBuffer one = buf.duplicate();
                one.limit(consumed + batchSize).position(consumed);
                sink.accept(header, one.slice());
                consumed += batchSize;
            }
            if (consumed == 0) {
                int batchSize = buf.getInt(BatchFormat.LENGTH) + BatchFormat.LOG_OVERHEAD;
                buffer = ByteBuffer.allocate(batchSize);
                continue;
            }
            if (buffer.capacity() > readBufferBytes) {
                buffer = ByteBuffer.allocate(readBufferBytes);
            }
            position += consumed;
        }
        return position;
    }

    private static void readFully(FileChannel channel, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, pos);
            if (n < 0) {
                throw new IOException("Unexpected end of segment file at " + pos);
            }
            pos += n;
        }
    }
}
