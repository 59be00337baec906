package io.millrace.bench.jmh;

import io.millrace.storage.PartitionLog;
import java.io.IOException;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the read benchmarks share: a {@link PrefilledLog} of {@code totalRecords} records in
 * batches of {@code recordsPerBatch}, built before each fork's trials and deleted after them.
 */
@State(Scope.Thread)
public abstract class PrefilledLogState {

    @Param({"1000000"})
    public long totalRecords;

    @Param({"100", "10"})
    public int recordsPerBatch;

    protected PrefilledLog prefilled;
    protected PartitionLog log;

    @Setup
    public void prefill() throws IOException {
        prefilled = new PrefilledLog(totalRecords, recordsPerBatch);
        log = prefilled.log();
    }

    @TearDown
    public void delete() throws IOException {
        prefilled.close();
    }
}
