package io.millrace.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code bench fsync-ceiling}: the most msg/s a broker that fsyncs before acknowledging, with a
 * given group-commit policy, can give W1's single producer on this disk (see {@link FsyncPipeline}).
 * The defaults are W1's and Millrace's group commit (fsync as soon as anything is unsynced): the
 * producer's default in-flight limit of 5, and its default 16 KiB batches, which hold 15 records
 * of 1 KiB (15,556 bytes on the wire and on disk).
 */
@Command(name = "fsync-ceiling", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure the upper bound on one producer's msg/s when every acknowledgement waits for an "
                + "fsync: appends and group-committed fdatasyncs on one file, with no network and no broker, "
                + "for one group-commit policy (--min-group).",
                "Run it on the disk that holds the log directories."})
final class FsyncCeilingCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Directory for the test file, on the disk to measure (default: the temp directory).")
    Path dir;

    @Option(names = "--in-flight", defaultValue = "5", paramLabel = "N",
            description = "Unacknowledged batches allowed (max.in.flight.requests.per.connection; default 5).")
    int inFlight;

    @Option(names = "--min-group", defaultValue = "1", paramLabel = "N",
            description = "Unsynced batches an fsync waits for: 1 (default) fsyncs as soon as anything is "
                    + "unsynced, as Millrace's group commit does; the in-flight limit waits for every batch.")
    int minGroup;

    @Option(names = "--batch-bytes", defaultValue = "15556", paramLabel = "BYTES",
            description = "Bytes per batch (default 15556: 15 records of 1 KiB in a 16 KiB producer batch).")
    int batchBytes;

    @Option(names = "--records-per-batch", defaultValue = "15", paramLabel = "N",
            description = "Records per batch, to turn batches/s into msg/s (default 15).")
    int recordsPerBatch;

    @Option(names = "--mode", defaultValue = "GROWING", paramLabel = "GROWING|PREZEROED",
            description = "GROWING (default): appends grow the file, as log segments do. PREZEROED: the file is "
                    + "zero-filled and synced first, so fsyncs carry no metadata.")
    FsyncPipeline.FileMode mode;

    @Option(names = "--prezero-size", defaultValue = "1073741824", paramLabel = "BYTES",
            description = "Size of the PREZEROED file; the run ends early when it is full (default 1 GiB).")
    long prezeroBytes;

    @Option(names = "--warmup", defaultValue = "2s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Time run before the measurement starts (default 2s).")
    Duration warmup;

    @Option(names = "--duration", defaultValue = "10s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Measured time after the warm-up (default 10s).")
    Duration duration;

    @Override
    public Integer call() throws Exception {
        if (recordsPerBatch < 1) {
            throw new IllegalArgumentException("--records-per-batch must be positive");
        }
        Path directory = dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"));
        Files.createDirectories(directory);
        Path file = directory.resolve("fsync-ceiling-" + ProcessHandle.current().pid() + ".log");
        FsyncPipeline.Result result = FsyncPipeline.run(file, new FsyncPipeline.Settings(mode, inFlight, minGroup,
                batchBytes, prezeroBytes, warmup, duration));
        PrintWriter out = spec.commandLine().getOut();
        if (result.fsyncs() == 0) {
            throw new IllegalStateException("nothing was measured: the file filled up during the warm-up "
                    + "(give a larger --prezero-size or a shorter --warmup)");
        }
        out.printf(Locale.ROOT, "fsync-ceiling %s, %d in flight, fsync at %d unsynced, %,d-byte batches of %d "
                + "records, in %s:%n", mode, inFlight, minGroup, batchBytes, recordsPerBatch, directory);
        out.printf(Locale.ROOT, "  %,.0f msg/s at most (%,.0f batches/s, %.2f MB/s) over %.1f s%n",
                result.batchesPerSecond() * recordsPerBatch, result.batchesPerSecond(),
                result.batchesPerSecond() * batchBytes / 1e6, result.measuredSeconds());
        if (result.measuredSeconds() < duration.toNanos() / 2e9) {
            out.printf(Locale.ROOT, "  warning: the file filled up after %.1f of %s measured: a short window; give a "
                    + "larger --prezero-size%n", result.measuredSeconds(), DurationConverter.format(duration));
        }
        out.printf(Locale.ROOT, "  %,d fsyncs, %.2f batches each (at most %d), fsync p50 %d µs, p99 %d µs, "
                + "max %d µs%n",
                result.fsyncs(), result.batchesPerFsync(), result.maxGroup(),
                result.fsyncMicros().getValueAtPercentile(50), result.fsyncMicros().getValueAtPercentile(99),
                result.fsyncMicros().getMaxValue());
        out.flush();
        return 0;
    }
}
