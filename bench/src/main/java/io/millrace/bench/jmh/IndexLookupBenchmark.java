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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Offset lookup: {@link PartitionLog#read} of the one batch holding a random offset (maxBytes 1 with
 * minOneBatch, as a fetch whose first batch exceeds the limit), on a prefilled log of several
 * segments. Covers the segment map floor lookup, the offset index binary search and reading the
 * batch headers from the index position to the target batch (none with 100-record batches, which
 * each get an index entry; up to three with 10-record ones). The data is in the page cache.
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class IndexLookupBenchmark extends PrefilledLogState {

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public FetchData readBatchAtRandomOffset() {
        return log.read(prefilled.nextRandomOffset(), 1, log.highWatermark(), true);
    }
}
