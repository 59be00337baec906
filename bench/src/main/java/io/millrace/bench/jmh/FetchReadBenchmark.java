package io.millrace.bench.jmh;

import io.millrace.storage.FetchData;
import io.millrace.storage.PartitionLog;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A consumer's partition read: {@link PartitionLog#read} of up to {@code maxBytes} from a random
 * offset, bounded by the high watermark, on a prefilled log. The result is a file slice (the bytes
 * are sent later with zero copy), so this measures finding where the slice starts and ends: both
 * ends come from the offset index plus a scan of at most one index interval of batch headers, so
 * {@code recordsPerBatch} (100 or 10 records of 100 B, about 11 KB or 1.2 KB per batch) sets how
 * many headers such a scan may read. A read near a segment's end returns less, since a read never
 * crosses a segment boundary.
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FetchReadBenchmark extends PrefilledLogState {

    @Param({"1048576"})
    public int maxBytes;

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public FetchData readFromRandomOffset() {
        return log.read(prefilled.nextRandomOffset(), maxBytes, log.highWatermark(), true);
    }
}
