package io.millrace.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The syncfs flush path: the build's test JVM runs with {@link FileSystemSync#JVM_OPTIONS}, as bin/millrace does. */
class FileSystemSyncTest {
    @TempDir
    Path dir;
    TestLogs.ManualTime time = new TestLogs.ManualTime(1_000_000L);

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
        List<PartitionLog> logs = new ArrayList<>();
        for (int p = 0; p < 10; p++) {
            logs.add(log(p, flusher::markDirty));
        }
        for (int round = 1; round <= 200 && flusher.fileSystemSyncs() == 0; round++) {
            List<CompletableFuture<Void>> durable = new ArrayList<>();
            for (PartitionLog log : logs) {
                durable.add(log.awaitDurable(log.appendAsLeader(TestLogs.batch("none", 1L, "r" + round), 0).lastOffset()));
            }
            if (round == 1) {
                flusher.start(); // it finds all 10 dirty at once, and asks for syncfs
            }
            CompletableFuture.allOf(durable.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        }
        flusher.stop();

        assertThat(flusher.fileSystemSyncs()).isPositive();
        for (PartitionLog log : logs) {
            assertThat(log.durableEndOffset()).isEqualTo(log.logEndOffset());
            log.close();
        }
    }

    @Test
    void aThreadThatFindsManyLogsDirtyMakesThemAllDurableWithOneSyncfs() throws Exception {
        try (FileSystemSync sync = FileSystemSync.open(dir).orElseThrow()) {
            GroupCommitFlusher flusher = new GroupCommitFlusher(1, null, 4);
            flusher.useFileSystemSync(sync);
            List<PartitionLog> logs = new ArrayList<>();
            List<CompletableFuture<Void>> durable = new ArrayList<>();
            for (int p = 0; p < 10; p++) {
                PartitionLog log = log(p, flusher::markDirty);
                logs.add(log);
                AppendInfo info = log.appendAsLeader(TestLogs.batch("none", 1L, "a" + p, "b" + p), 0);
                durable.add(log.awaitDurable(info.lastOffset()));
            }
            assertThat(durable).noneMatch(CompletableFuture::isDone);

            flusher.start();
            CompletableFuture.allOf(durable.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
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
            List<PartitionLog> logs = new ArrayList<>();
            List<CompletableFuture<Void>> durable = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                PartitionLog log = log(p, flusher::markDirty);
                logs.add(log);
                durable.add(log.awaitDurable(log.appendAsLeader(TestLogs.batch("none", 1L, "a"), 0).lastOffset()));
            }

            flusher.start();
            CompletableFuture.allOf(durable.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
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
        PartitionLog.FlushTarget target = log.beginFlush();
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
