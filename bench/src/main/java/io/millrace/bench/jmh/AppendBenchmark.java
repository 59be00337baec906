package io.millrace.bench.jmh;

import io.millrace.protocol.Time;
import io.millrace.storage.AppendInfo;
import io.millrace.storage.LogConfig;
import io.millrace.storage.PartitionLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link PartitionLog#appendAsLeader} of one prebuilt uncompressed v2 batch ({@code records} records
 * of {@code valueBytes} bytes, no key, no producer id): header and CRC validation, offset assignment
 * (the base offset and leader epoch are patched in place, so the batch's base offset is set back to
 * 0 before each append, as a producer sends it), the write into the page cache and the
 * index entries. RELAXED policy, so no fsync per append; segments of {@code segmentMiB} roll during
 * the run, and a roll's own work (index trim, producer snapshot, directory fsync) is part of the
 * number. Each iteration starts from an empty log in a fresh directory, so the disk never fills.
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AppendBenchmark {

    @Param({"100"})
    public int records;

    @Param({"100"})
    public int valueBytes;

    @Param({"64"})
    public int segmentMiB;

    private ByteBuffer batch;
    private TempLog tempLog;
    private PartitionLog log;
    private Path rawFile;
    private FileChannel rawChannel;
    private long rawPosition;

    @Setup(Level.Trial)
    public void buildBatch() {
        batch = Requests.batch(records * (valueBytes + 32) + 61, records, valueBytes, Time.SYSTEM.milliseconds());
        int built = Requests.recordCount(batch);
        if (built != records) {
            throw new IllegalStateException("built a batch of " + built + " records, wanted " + records);
        }
    }

    @Setup(Level.Iteration)
    public void openLog() throws IOException {
        tempLog = new TempLog(LogConfig.defaults().withSegmentBytes(segmentMiB * 1024 * 1024));
        log = tempLog.log();
        rawFile = Files.createTempFile("millrace-jmh-raw-", ".log");
        rawChannel = FileChannel.open(rawFile, StandardOpenOption.WRITE);
        rawPosition = 0;
    }

    @TearDown(Level.Iteration)
    public void deleteLog() throws IOException {
        try {
            tempLog.close();
        } finally {
            rawChannel.close();
            Files.deleteIfExists(rawFile);
        }
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public AppendInfo append() {
        return log.appendAsLeader(Requests.rewound(batch), 0);
    }

    /**
     * The control: the same bytes written with a positional {@link FileChannel#write} at the end of
     * one growing file, as {@code LogSegment} writes them, with no validation, offsets or indexes.
     * What {@link #append} costs above this is Millrace's own work.
     */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long rawFileWrite() throws IOException {
        ByteBuffer src = batch.duplicate();
        while (src.hasRemaining()) {
            rawPosition += rawChannel.write(src, rawPosition);
        }
        return rawPosition;
    }
}
