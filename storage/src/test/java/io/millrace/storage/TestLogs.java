package io.millrace.storage;

import io.millrace.protocol.FileSlice;
import io.millrace.protocol.Time;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Builds real client batches with kafka-clients and reads slices back with it. */
final class TestLogs {
    private TestLogs() {
    }

    /** A clock the test moves by hand. */
    static final class ManualTime implements Time {
        private final AtomicLong nowMs;

        ManualTime(long startMs) {
            this.nowMs = new AtomicLong(startMs);
        }

        void advance(long ms) {
            nowMs.addAndGet(ms);
        }

        @Override
        public long milliseconds() {
            return nowMs.get();
        }

        @Override
        public long nanoseconds() {
            return nowMs.get() * 1_000_000;
        }
    }

    static Compression compression(String name) {
        return Compression.of(name).build();
    }

    static SimpleRecord[] records(long timestamp, String... values) {
        SimpleRecord[] out = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = new SimpleRecord(timestamp, ("k" + i).getBytes(StandardCharsets.UTF_8),
                    values[i].getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    static ByteBuffer batch(String compression, long timestamp, String... values) {
        return MemoryRecords.withRecords(compression(compression), records(timestamp, values)).buffer();
    }

    static ByteBuffer idempotentBatch(long producerId, short epoch, int baseSequence, String... values) {
        return MemoryRecords.withIdempotentRecords(Compression.NONE, producerId, epoch, baseSequence,
                records(1000L, values)).buffer();
    }

    /** One produce request's records holding these batches back to back. */
    static ByteBuffer concat(ByteBuffer... batches) {
        int size = 0;
        for (ByteBuffer batch : batches) {
            size += batch.remaining();
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (ByteBuffer batch : batches) {
            out.put(batch.duplicate());
        }
        out.flip();
        return out;
    }

    static ByteBuffer bytesOf(FileSlice slice) {
        ByteBuffer buf = ByteBuffer.allocate(slice.sizeBytes());
        try {
            while (buf.hasRemaining()) {
                if (slice.channel().read(buf, slice.position() + buf.position()) < 0) {
                    throw new IOException("short read");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        buf.flip();
        return buf;
    }

    static List<MutableRecordBatch> batchesOf(FileSlice slice) {
        List<MutableRecordBatch> out = new ArrayList<>();
        MemoryRecords.readableRecords(bytesOf(slice)).batches().forEach(out::add);
        return out;
    }

    static String value(org.apache.kafka.common.record.internal.Record record) {
        return StandardCharsets.UTF_8.decode(record.value()).toString();
    }
}
