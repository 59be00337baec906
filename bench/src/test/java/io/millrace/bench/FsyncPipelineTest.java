package io.millrace.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

class FsyncPipelineTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(FsyncPipeline.FileMode.class)
    void everyBatchIsAcknowledgedAndNoFsyncCoversMoreThanTheInFlightLimit(FsyncPipeline.FileMode mode)
            throws Exception {
        Path file = dir.resolve("ceiling.log");
        FsyncPipeline.Result result = FsyncPipeline.run(file, settings(mode, 3, 1, 1000, 64L << 20, Duration.ZERO,
                Duration.ofSeconds(1)));

        assertThat(result.fsyncs()).isPositive();
        assertThat(result.ackedBatches()).isGreaterThanOrEqualTo(result.fsyncs());
        assertThat(result.maxGroup()).isBetween(1L, 3L);
        long expectedBytes = mode == FsyncPipeline.FileMode.GROWING ? result.totalBatches() * 1000 : 64L << 20;
        assertThat(result.fileBytes()).isEqualTo(expectedBytes);
        assertThat(file).doesNotExist();
    }

    @Test
    void withAMinimumGroupOfTheInFlightLimitEveryFsyncCoversAllOfThem() throws Exception {
        FsyncPipeline.Result result = FsyncPipeline.run(dir.resolve("grouped.log"),
                settings(FsyncPipeline.FileMode.GROWING, 4, 4, 1000, 0, Duration.ZERO, Duration.ofSeconds(1)));

        assertThat(result.fsyncs()).isPositive();
        assertThat(result.maxGroup()).isEqualTo(4);
        // the writer stops only at a group boundary: it waits with 4 unsynced, or ends the run
        assertThat(result.ackedBatches()).isBetween(4 * result.fsyncs() - 3, 4 * result.fsyncs());
    }

    @Test
    void aMinimumGroupAboveTheInFlightLimitIsRefused() {
        assertThatThrownBy(() -> settings(FsyncPipeline.FileMode.GROWING, 2, 3, 1000, 0, Duration.ZERO,
                Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("min-group");
    }

    @Test
    void anExistingFileIsNeitherUsedNorDeleted() throws Exception {
        Path file = Files.writeString(dir.resolve("someone-elses.log"), "keep");

        assertThatThrownBy(() -> FsyncPipeline.run(file, settings(FsyncPipeline.FileMode.GROWING, 5, 1, 1000, 0,
                Duration.ZERO, Duration.ofMillis(100)))).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(file).hasContent("keep");
    }

    @Test
    void aPrezeroedFileThatFillsUpEndsTheRunEarly() throws Exception {
        FsyncPipeline.Result result = FsyncPipeline.run(dir.resolve("small.log"),
                settings(FsyncPipeline.FileMode.PREZEROED, 5, 1, 4096, 40 * 4096, Duration.ZERO,
                        Duration.ofMinutes(5)));

        assertThat(result.totalBatches()).isEqualTo(40);
        assertThat(result.measuredSeconds()).isLessThan(Duration.ofMinutes(5).toSeconds());
    }

    @Test
    void aFileThatFillsUpDuringTheWarmupMeasuresNothingAndTheCommandSaysSo() throws Exception {
        FsyncPipeline.Result result = FsyncPipeline.run(dir.resolve("tiny.log"),
                settings(FsyncPipeline.FileMode.PREZEROED, 5, 1, 4096, 4 * 4096, Duration.ofMinutes(5),
                        Duration.ofSeconds(1)));
        assertThat(result.fsyncs()).isZero();
        assertThat(result.batchesPerSecond()).isZero();

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine command = BenchMain.commandLine();
        command.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        int exit = command.execute("fsync-ceiling", "--dir", dir.toString(), "--mode", "PREZEROED",
                "--prezero-size", "16384", "--warmup", "5m");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("nothing was measured");
    }

    @Test
    void theCommandPrintsTheCeilingInMessagesPerSecond() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CommandLine command = BenchMain.commandLine();
        command.setOut(new PrintWriter(bytes, true, StandardCharsets.UTF_8));

        int exit = command.execute("fsync-ceiling", "--dir", dir.toString(), "--warmup", "0s", "--duration",
                "1s", "--batch-bytes", "2000", "--records-per-batch", "2");

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(exit).isZero();
        assertThat(out).contains("fsync-ceiling GROWING, 5 in flight, fsync at 1 unsynced, 2,000-byte batches of 2 "
                        + "records")
                .containsPattern("[0-9,]+ msg/s at most").contains("batches each (at most ");
        try (var left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    private static FsyncPipeline.Settings settings(FsyncPipeline.FileMode mode, int inFlight, int minGroup,
                                                   int batchBytes, long prezeroBytes, Duration warmup,
                                                   Duration duration) {
        return new FsyncPipeline.Settings(mode, inFlight, minGroup, batchBytes, prezeroBytes, warmup, duration);
    }
}
