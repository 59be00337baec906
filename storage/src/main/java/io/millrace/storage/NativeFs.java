package io.millrace.storage;

import jdk.incubator.foreign.CLinker;
import jdk.incubator.foreign.FunctionDescriptor;
import jdk.incubator.foreign.MemoryAddress;
import jdk.incubator.foreign.ResourceScope;
import jdk.incubator.foreign.SymbolLookup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Calls {@code open(2)}, {@code syncfs(2)}, {@code posix_fadvise(2)} and {@code close(2)} through
 * JDK 17's foreign linker ({@code jdk.incubator.foreign}). Reach it only through {@link #link}: it
 * checks that the JVM resolved the incubator module, and on any other JVM loading this class fails
 * with a {@link LinkageError}, which {@link #link} expects.
 */
final class NativeFs {
    private static final Logger LOG = LoggerFactory.getLogger(NativeFs.class);
    private static final int O_RDONLY = 0;
    /** The same value on x86-64 and arm64 (O_DIRECTORY is not, so it is not used). */
    private static final int O_CLOEXEC = 0x80000;
    /** Linux's value on every architecture but s390x, on which the node does not run this. */
    private static final int POSIX_FADV_DONTNEED = 4;

    private final MethodHandle open;
    private final MethodHandle syncfs;
    private final MethodHandle fadvise;
    private final MethodHandle close;

    private NativeFs() {
        CLinker linker = CLinker.getInstance();
        SymbolLookup libc = CLinker.systemLookup();
        this.open = linker.downcallHandle(libc.lookup("open").orElseThrow(),
                MethodType.methodType(int.class, MemoryAddress.class, int.class),
                FunctionDescriptor.of(CLinker.C_INT, CLinker.C_POINTER, CLinker.C_INT));
        this.syncfs = linker.downcallHandle(libc.lookup("syncfs").orElseThrow(),
                MethodType.methodType(int.class, int.class), FunctionDescriptor.of(CLinker.C_INT, CLinker.C_INT));
        this.fadvise = linker.downcallHandle(libc.lookup("posix_fadvise").orElseThrow(),
                MethodType.methodType(int.class, int.class, long.class, long.class, int.class),
                FunctionDescriptor.of(CLinker.C_INT, CLinker.C_INT, CLinker.C_LONG_LONG, CLinker.C_LONG_LONG,
                        CLinker.C_INT));
        this.close = linker.downcallHandle(libc.lookup("close").orElseThrow(),
                MethodType.methodType(int.class, int.class), FunctionDescriptor.of(CLinker.C_INT, CLinker.C_INT));
    }

    /**
     * The linked functions, or empty on a JVM started without {@link FileSystemSync#JVM_OPTIONS}
     * or whose foreign linker differs; then a log line says that {@code feature} is unavailable,
     * why, and {@code fallback}. Linking takes about 100 ms, so callers do it off the start-up path.
     */
    static Optional<NativeFs> link(String feature, String fallback) {
        if (ModuleLayer.boot().findModule("jdk.incubator.foreign").isEmpty()) {
            LOG.info("{} unavailable: the JVM was started without {}; {}", feature,
                    String.join(" ", FileSystemSync.JVM_OPTIONS), fallback);
            return Optional.empty();
        }
        try {
            return Optional.of(new NativeFs());
        } catch (LinkageError | RuntimeException e) {
            LOG.info("{} unavailable ({}); {}", feature, e.toString(), fallback);
            return Optional.empty();
        }
    }

    /** Opens {@code path} (a file or a directory) read-only and returns its file descriptor. */
    int openReadOnly(Path path) throws IOException {
        int fd;
        try (ResourceScope scope = ResourceScope.newConfinedScope()) {
            fd = (int) open.invokeExact(CLinker.toCString(path.toString(), scope).address(),
                    O_RDONLY | O_CLOEXEC);
        } catch (Throwable e) {
            throw new IOException("open(" + path + ") failed", e);
        }
        if (fd < 0) {
            throw new IOException("open(" + path + ") returned " + fd);
        }
        return fd;
    }

    /** {@code syncfs(fd)}: writes back every dirty file of the file system holding {@code fd} and waits. */
    void syncfs(int fd) throws IOException {
        call(syncfs, "syncfs", fd);
    }

    /**
     * {@code posix_fadvise(POSIX_FADV_DONTNEED)} on {@code length} bytes of {@code file} from
     * {@code offset} (0: to the end): the kernel drops those of its clean cached pages that nobody
     * has mapped. Dirty pages stay cached, so no data is lost; what is dropped is read from disk
     * when it is next read.
     */
    void dropFromPageCache(Path file, long offset, long length) throws IOException {
        int fd = openReadOnly(file);
        try {
            int rc = (int) fadvise.invokeExact(fd, offset, length, POSIX_FADV_DONTNEED);
            if (rc != 0) { // posix_fadvise returns the error number itself
                throw new IOException("posix_fadvise(" + file + ", " + offset + ", " + length + ") returned " + rc);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException("posix_fadvise(" + file + ") failed", e);
        } finally {
            close(fd);
        }
    }

    void close(int fd) throws IOException {
        call(close, "close", fd);
    }

    /** Calls an {@code int f(int fd)} libc function; anything but 0 is an error (errno is not available). */
    private static void call(MethodHandle function, String name, int fd) throws IOException {
        int rc;
        try {
            rc = (int) function.invokeExact(fd);
        } catch (Throwable e) {
            throw new IOException(name + "(" + fd + ") failed", e);
        }
        if (rc != 0) {
            throw new IOException(name + "(" + fd + ") returned " + rc);
        }
    }
}
