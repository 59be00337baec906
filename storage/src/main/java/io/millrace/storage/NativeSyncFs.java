package io.millrace.storage;

import jdk.incubator.foreign.CLinker;
import jdk.incubator.foreign.FunctionDescriptor;
import jdk.incubator.foreign.MemoryAddress;
import jdk.incubator.foreign.ResourceScope;
import jdk.incubator.foreign.SymbolLookup;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.nio.file.Path;

/**
 * Calls {@code open(2)}, {@code syncfs(2)} and {@code close(2)} through JDK 17's foreign linker
 * ({@code jdk.incubator.foreign}). Only {@link FileSystemSync} touches this class, and only after
 * checking that the JVM resolved the incubator module and allows native access; on any other JVM
 * loading this class fails with a {@link LinkageError}, which {@link FileSystemSync} expects.
 */
final class NativeSyncFs {
    private static final int O_RDONLY = 0;
    /** The same value on x86-64 and arm64 (O_DIRECTORY is not, so it is not used). */
    private static final int O_CLOEXEC = 0x80000;

    private final MethodHandle open;
    private final MethodHandle syncfs;
    private final MethodHandle close;

    private NativeSyncFs() {
        CLinker linker = CLinker.getInstance();
        SymbolLookup libc = CLinker.systemLookup();
        this.open = linker.downcallHandle(libc.lookup("open").orElseThrow(),
                MethodType.methodType(int.class, MemoryAddress.class, int.class),
                FunctionDescriptor.of(CLinker.C_INT, CLinker.C_POINTER, CLinker.C_INT));
        this.syncfs = linker.downcallHandle(libc.lookup("syncfs").orElseThrow(),
                MethodType.methodType(int.class, int.class), FunctionDescriptor.of(CLinker.C_INT, CLinker.C_INT));
        this.close = linker.downcallHandle(libc.lookup("close").orElseThrow(),
                MethodType.methodType(int.class, int.class), FunctionDescriptor.of(CLinker.C_INT, CLinker.C_INT));
    }

    /** Opens {@code dir} read-only and returns its file descriptor. */
    int openDirectory(Path dir) throws IOException {
        int fd;
        try (ResourceScope scope = ResourceScope.newConfinedScope()) {
            fd = (int) open.invokeExact(CLinker.toCString(dir.toString(), scope).address(),
                    O_RDONLY | O_CLOEXEC);
        } catch (Throwable e) {
            throw new IOException("open(" + dir + ") failed", e);
        }
        if (fd < 0) {
            throw new IOException("open(" + dir + ") returned " + fd);
        }
        return fd;
    }

    static NativeSyncFs link() {
        return new NativeSyncFs();
    }

    /** {@code syncfs(fd)}: writes back every dirty file of the file system holding {@code fd} and waits. */
    void syncfs(int fd) throws IOException {
        call(syncfs, "syncfs", fd);
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
