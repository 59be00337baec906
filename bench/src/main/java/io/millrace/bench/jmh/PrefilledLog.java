package io.millrace.bench.jmh;

import io.millrace.protocol.Time;
import io.millrace.storage.LogConfig;
import io.millrace.storage.PartitionLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;

/**
 * A log of {@code totalRecords} records of {@link #VALUE_BYTES} bytes in batches of
 * {@code recordsPerBatch}, over segments of {@link #SEGMENT_BYTES} (about 110 MB in 7 segments for a
 * million records), Kafka's default index interval (4 KiB, so a 100-record batch gets an index entry
 * of its own and 10-record batches one entry per three or four), high watermark at the log end; and a
 * seeded sequence of random offsets in it, read round-robin so drawing them costs nothing measurable.
 */
final class PrefilledLog implements AutoCloseable {
    static final int VALUE_BYTES = 100;
    static final int SEGMENT_BYTES = 16 * 1024 * 1024;
    private static final int OFFSETS = 1 << 16;
    private static final long SEED = 20261123L;

    private final TempLog tempLog;
    private final long[] offsets = new long[OFFSETS];
    private int next;

    PrefilledLog(long totalRecords, int recordsPerBatch) throws IOException {
        tempLog = new TempLog(LogConfig.defaults().withSegmentBytes(SEGMENT_BYTES));
        try {
            fill(totalRecords, recordsPerBatch);
        } catch (IOException | RuntimeException e) {
            try {
                tempLog.close();
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void fill(long totalRecords, int recordsPerBatch) throws IOException {
        PartitionLog log = tempLog.log();
        ByteBuffer batch = Requests.batch(recordsPerBatch * (VALUE_BYTES + 32) + 61, recordsPerBatch, VALUE_BYTES,
                Time.SYSTEM.milliseconds());
        if (Requests.recordCount(batch) != recordsPerBatch) {
            throw new IllegalStateException("built a batch of " + Requests.recordCount(batch) + " records, wanted "
                    + recordsPerBatch);
        }
        while (log.logEndOffset() < totalRecords) {
            log.appendAsLeader(Requests.rewound(batch), 0);
        }
        log.updateHighWatermark(log.logEndOffset());
        Random random = new Random(SEED);
        for (int i = 0; i < OFFSETS; i++) {
            offsets[i] = (long) (random.nextDouble() * log.logEndOffset());
        }
        int segments = tempLog.segmentFiles();
        if (segments < 2) {
            throw new IllegalStateException("prefill left " + segments + " segment(s); the benchmark needs several");
        }
    }

    PartitionLog log() {
        return tempLog.log();
    }

    long nextRandomOffset() {
        long offset = offsets[next];
        next = (next + 1) & (OFFSETS - 1);
        return offset;
    }

    @Override
    public void close() throws IOException {
        tempLog.close();
    }
}
