package io.millrace.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes every file of a log directory's file system durable with one {@code syncfs(2)} instead of
 * one {@code fdatasync} per file. With 1,000 partitions that each took a 1 KiB append, fsyncing
 * the files one by one cost 54–74 ms of CPU and 121–144 ms of wall time on this project's 2-core
 * test machine; one {@code syncfs} cost 10–15 ms of CPU and 7–11 ms.
 *
 * <p>{@code syncfs} waits for the data and metadata of every file dirtied before it began. On ext4
 * without a journal it issues its disk-cache flush before writing the last metadata buffers, so
 * {@link #sync()} follows it with an fsync of the directory, which ends in a cache flush of its own.
 *
 * <p>Java 17 has no {@code syncfs}; it is called through the foreign linker incubator, which
 * needs the JVM options in {@link #JVM_OPTIONS}. {@link #open} returns empty on a JVM started
 * without them, or one whose foreign linker API differs, and the caller fsyncs file by file.
 */
final class FileSystemSync implements AutoCloseable {
    static final List<String> JVM_OPTIONS =
            List.of("--add-modules=jdk.incubator.foreign", "--enable-native-access=ALL-UNNAMED");
    /** Local file systems whose syncfs writes back and waits for every dirty file. */
    static final Set<String> TRUSTED_FILE_SYSTEMS = Set.of("ext4", "xfs", "btrfs");
    private static final Logger LOG = LoggerFactory.getLogger(FileSystemSync.class);

    private final NativeFs natives;
    private final int fd;
    private final FileChannel directory;
    private final Path dir;

    private FileSystemSync(NativeFs natives, int fd, FileChannel directory, Path dir) {
        this.natives = natives;
        this.fd = fd;
        this.directory = directory;
        this.dir = dir;
    }

    /**
     * The JVM options that make {@code syncfs} callable: {@link #JVM_OPTIONS} on a JDK 17 that has
     * the incubator module, none on any other JDK (18 changed the API; 19 and later removed the
     * module, and a JVM given {@code --add-modules} for a missing module does not start).
     */
    static List<String> jvmOptionsFor(Runtime.Version version, boolean hasIncubatorModule) {
        return version.feature() == 17 && hasIncubatorModule ? JVM_OPTIONS : List.of();
    }

    /**
     * A sync for {@code dir}'s file system, or empty when this JVM cannot call {@code syncfs} or
     * syncfs cannot be trusted there: before Linux 5.8 it did not report writeback errors, and
     * only local file systems that implement it are allowed (FUSE, for one, may not pass it on).
     */
    static Optional<FileSystemSync> open(Path dir) throws IOException {
        String type = Files.getFileStore(dir).type();
        if (!TRUSTED_FILE_SYSTEMS.contains(type) || !reportsWritebackErrors(System.getProperty("os.version"))) {
            LOG.info("syncfs not used for {} (file system {}, kernel {}); the log flusher fsyncs file by file",
                    dir, type, System.getProperty("os.version"));
            return Optional.empty();
        }
        Optional<NativeFs> linked = NativeFs.link("syncfs", "the log flusher fsyncs file by file");
        if (linked.isEmpty()) {
            return Optional.empty();
        }
        NativeFs natives = linked.get();
        int fd = natives.openReadOnly(dir);
        FileChannel directory;
        try {
            directory = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException e) {
            try {
                natives.close(fd);
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        return Optional.of(new FileSystemSync(natives, fd, directory, dir));
    }

    /**
     * {@link #open} on a thread of its own: linking {@code syncfs} takes about 100 ms (the foreign
     * linker's first downcall handles), which would otherwise delay the node's start. A failure to
     * open is logged and completes the future empty.
     */
    static CompletableFuture<Optional<FileSystemSync>> openInBackground(Path dir) {
        CompletableFuture<Optional<FileSystemSync>> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            Optional<FileSystemSync> sync = Optional.empty();
            try {
                sync = open(dir);
                if (sync.isPresent()) {
                    LOG.info("syncfs linked for {}: many dirty logs are now made durable by one syncfs", dir);
                }
            } catch (Throwable e) {
                LOG.warn("Cannot open {} for syncfs; the log flusher fsyncs file by file", dir, e);
            } finally {
                result.complete(sync);
            }
        }, "millrace-syncfs-setup");
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    /** True for a Linux release of 5.8 or later, whose syncfs reports writeback errors. */
    static boolean reportsWritebackErrors(String osVersion) {
        Matcher m = Pattern.compile("^(\\d+)\\.(\\d+)").matcher(osVersion == null ? "" : osVersion);
        if (!m.find()) {
            return false;
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        return major > 5 || (major == 5 && minor >= 8);
    }

    /** Returns once every write to the file system that returned before this call began is durable. */
    void sync() throws IOException {
        natives.syncfs(fd);
        directory.force(true);
    }

    Path dir() {
        return dir;
    }

    @Override
    public void close() throws IOException {
        try {
            directory.close();
        } finally {
            natives.close(fd);
        }
    }
}
