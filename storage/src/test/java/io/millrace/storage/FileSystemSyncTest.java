package io.millrace.storage;

import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.MillraceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The syncfs flush path: the build's test JVM runs with {@link FileSystemSync#JVM_OPTIONS}, as
 * bin/millrace does. The logs live under {@code target/}, on the checkout's file system, because
 * syncfs is used only on ext4, xfs and btrfs and {@code /tmp} may be a tmpfs.
 */
class FileSystemSyncTest {
    Path dir;
    TestLogs.ManualTime time = new TestLogs.ManualTime(1_000_000L);

    @BeforeEach
    void createDir() throws IOException {
        Files.createDirectories(Path.of("target"));
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "fs-sync-");
    }

    @AfterEach
    void deleteDir() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    private PartitionLog log(int partition, java.util.function.Consumer<PartitionLog> onDirty) throws Exception {
        PartitionLog.Builder b = new PartitionLog.Builder();
        b.dir = dir.resolve("t-" + partition);
        Files.createDirectories(b.dir);
        b.topic = "t";
        b.partition = partition;
        b.topicId = UUID.randomUUID();
        b.config = LogConfig.defaults();
        b.time = time;
        b.policy = FlushPolicy.DURABLE;
        b.cleanShutdown = true;
        b.onDirty = onDirty;
        return b.load();
    }

    private List<PartitionLog> logs(int count, GroupCommitFlusher flusher) throws Exception {
        List<PartitionLog> logs = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            logs.add(log(p, flusher::markDirty));
        }
        return logs;
    }

    /** Appends one batch of {@code values} to each log; returns the futures of their durability. */
    private static List<CompletableFuture<Void>> appendToEach(List<PartitionLog> logs, String... values) {
        List<CompletableFuture<Void>> durable = new ArrayList<>();
        for (PartitionLog log : logs) {
            durable.add(log.awaitDurable(log.appendAsLeader(TestLogs.batch("none", 1L, values), 0).lastOffset()));
        }
        return durable;
    }

    private static void awaitAll(List<CompletableFuture<Void>> durable) throws Exception {
        CompletableFuture.allOf(durable.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    }

    @Test
    void syncfsIsAvailableUnderTheJvmOptionsOfBinMillrace() throws Exception {
        Files.write(dir.resolve("f"), new byte[4096]);
        try (FileSystemSync sync = FileSystemSync.open(dir).orElseThrow()) {
            sync.sync();
            assertThat(sync.dir()).isEqualTo(dir);
        }
    }

    @Test
    void theFirstTimeManyLogsAreDirtySyncfsIsLinkedAndLaterRoundsUseIt() throws Exception {
        GroupCommitFlusher flusher = new GroupCommitFlusher(1, dir, 4);
        List<PartitionLog> logs = logs(10, flusher);
        List<CompletableFuture<Void>> durable = appendToEach(logs, "first");
        flusher.start(); // it finds all 10 dirty at once: it asks for syncfs and fsyncs them one by one meanwhile
        awaitAll(durable);
        await().atMost(30, TimeUnit.SECONDS).until(flusher::usesFileSystemSync);
        long syncsBefore = flusher.fileSystemSyncs();

        synchronized (flusher) { // the flusher's thread cannot take a log until all 10 are dirty
            durable = appendToEach(logs, "second");
        }
        awaitAll(durable);
        flusher.stop();

        assertThat(flusher.fileSystemSyncs()).isEqualTo(syncsBefore + 1);
        for (PartitionLog log : logs) {
            assertThat(log.durableEndOffset()).isEqualTo(log.logEndOffset()).isEqualTo(2);
            log.close();
        }
    }

    @Test
    void aThreadThatFindsManyLogsDirtyMakesThemAllDurableWithOneSyncfs() throws Exception {
        try (FileSystemSync sync = FileSystemSync.open(dir).orElseThrow()) {
            GroupCommitFlusher flusher = new GroupCommitFlusher(1, null, 4);
            flusher.useFileSystemSync(sync);
            List<PartitionLog> logs = logs(10, flusher);
            List<CompletableFuture<Void>> durable = appendToEach(logs, "a", "b");
            assertThat(durable).noneMatch(CompletableFuture::isDone);

            flusher.start();
            awaitAll(durable);
            flusher.stop();

            assertThat(flusher.fileSystemSyncs()).isEqualTo(1);
            for (PartitionLog log : logs) {
                assertThat(log.durableEndOffset()).isEqualTo(log.logEndOffset()).isEqualTo(2);
                log.close();
            }
        }
    }

    @Test
    void fewerDirtyLogsThanTheThresholdAreFsyncedOneByOne() throws Exception {
        try (FileSystemSync sync = FileSystemSync.open(dir).orElseThrow()) {
            GroupCommitFlusher flusher = new GroupCommitFlusher(1, null, 4);
            flusher.useFileSystemSync(sync);
            List<PartitionLog> logs = logs(3, flusher);
            List<CompletableFuture<Void>> durable = appendToEach(logs, "a");

            flusher.start();
            awaitAll(durable);
            flusher.stop();

            assertThat(flusher.fileSystemSyncs()).isZero();
            for (PartitionLog log : logs) {
                assertThat(log.durableEndOffset()).isEqualTo(1);
                log.close();
            }
        }
    }

    @Test
    void aLogTruncatedDuringTheSyncIsNotCreditedAndIsMarkedDirtyAgain() throws Exception {
        AtomicInteger dirtyMarks = new AtomicInteger();
        PartitionLog log = log(0, l -> dirtyMarks.incrementAndGet());
        for (int i = 0; i < 5; i++) {
            log.appendAsLeader(TestLogs.batch("none", 1L, "v" + i), 0);
        }
        DurableEnd.Target target = log.beginFlush();
        assertThat(target.offset()).isEqualTo(5);

        log.truncateTo(2);
        log.appendAsLeader(TestLogs.batch("none", 1L, "x", "y", "z"), 1);
        int marksBefore = dirtyMarks.get();
        log.completeFlush(target);

        assertThat(log.durableEndOffset()).isZero();
        assertThat(dirtyMarks.get()).isEqualTo(marksBefore + 1);
        log.close();
    }

    @Test
    void aFailedFlushTakesTheLogOfflineAndNothingIsCreditedAfterIt() throws Exception {
        PartitionLog log = log(0, l -> { });
        log.appendAsLeader(TestLogs.batch("none", 1L, "a"), 0);
        CompletableFuture<Void> waiting = log.awaitDurable(0);
        DurableEnd.Target target = log.beginFlush();

        log.onFlushFailed(new IOException("EIO"));
        log.completeFlush(target);
        log.flush();

        assertThat(waiting).isCompletedExceptionally();
        assertThat(log.durableEndOffset()).isZero();
        assertThatThrownBy(() -> log.appendAsLeader(TestLogs.batch("none", 1L, "b"), 0))
                .isInstanceOfSatisfying(MillraceException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.KAFKA_STORAGE_ERROR));
        log.close();
        assertThat(log.durableEndOffset()).as("close does not fsync a failed log").isZero();
    }

    @Test
    void onlyAJdk17WithTheIncubatorModuleGetsTheJvmOptions() {
        assertThat(FileSystemSync.jvmOptionsFor(Runtime.Version.parse("17.0.15"), true))
                .containsExactly("--add-modules=jdk.incubator.foreign", "--enable-native-access=ALL-UNNAMED");
        assertThat(FileSystemSync.jvmOptionsFor(Runtime.Version.parse("17.0.15"), false)).isEmpty();
        assertThat(FileSystemSync.jvmOptionsFor(Runtime.Version.parse("18.0.2"), true)).isEmpty();
        assertThat(FileSystemSync.jvmOptionsFor(Runtime.Version.parse("21.0.5"), false)).isEmpty();
    }

    @Test
    void syncfsIsTrustedFromLinux58On() {
        assertThat(FileSystemSync.reportsWritebackErrors("6.18.44-fc-v657")).isTrue();
        assertThat(FileSystemSync.reportsWritebackErrors("5.8.0")).isTrue();
        assertThat(FileSystemSync.reportsWritebackErrors("5.15.0-91-generic")).isTrue();
        assertThat(FileSystemSync.reportsWritebackErrors("5.4.0-150-generic")).isFalse();
        assertThat(FileSystemSync.reportsWritebackErrors("4.18.0-513.el8.x86_64")).isFalse();
        assertThat(FileSystemSync.reportsWritebackErrors("")).isFalse();
        assertThat(FileSystemSync.reportsWritebackErrors(null)).isFalse();
    }

    @Test
    void aLogWithNothingNewNeedsNoSync() throws Exception {
        PartitionLog log = log(0, l -> { });
        assertThat(log.beginFlush()).isNull();
        log.appendAsLeader(TestLogs.batch("none", 1L, "v"), 0);
        log.completeFlush(log.beginFlush());
        assertThat(log.durableEndOffset()).isEqualTo(1);
        assertThat(log.beginFlush()).isNull();
        log.close();
    }
}
