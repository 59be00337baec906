package io.millrace.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.HdrHistogram.Histogram;

/**
 * The fastest a broker that fsyncs before it acknowledges can serve one producer writing to one
 * partition: no network, no request handling, only the disk and the producer's in-flight limit.
 *
 * <p>A writer appends batches to one file (as a broker's network thread writes them to the active
 * segment) and never has more than {@code inFlight} batches unacknowledged (the producer's
 * {@code max.in.flight.requests.per.connection}). A flusher thread fsyncs ({@code fdatasync}) the
 * file as soon as at least {@code minGroup} batches are unsynced (1: as soon as anything is), then
 * acknowledges every batch written before that fsync began: group commit with nothing else in the
 * way. With {@code minGroup} 1, a batch written while an fsync runs waits for the next one, so the
 * batches of two consecutive fsyncs share the in-flight limit; with {@code minGroup} equal to the
 * in-flight limit, every fsync waits for all of them and none is written during an fsync.
 *
 * <p>Thread-safety: the counters are guarded by {@code lock}; the writer is the caller's thread.
 */
final class FsyncPipeline {

    /** How the file is laid out before the run. */
    enum FileMode {
        /** Appends grow the file, as Kafka's and Millrace's segments do: each fsync also commits the new size. */
        GROWING,
        /** The file is written with zeros and synced first, so an fsync flushes data and no file metadata. */
        PREZEROED
    }

    /**
     * What to run.
     *
     * @param inFlight     most batches unacknowledged at once
     * @param minGroup     unsynced batches an fsync waits for (at most {@code inFlight})
     * @param prezeroBytes the PREZEROED file's size; the run ends when it is full
     */
    record Settings(FileMode mode, int inFlight, int minGroup, int batchBytes, long prezeroBytes, Duration warmup,
                    Duration duration) {

        Settings {
            if (inFlight < 1 || batchBytes < 1 || minGroup < 1 || minGroup > inFlight) {
                throw new IllegalArgumentException("need in-flight >= 1, batch bytes >= 1 and 1 <= min-group <= "
                        + "in-flight (got in-flight " + inFlight + ", min-group " + minGroup + ", batch bytes "
                        + batchBytes + ")");
            }
        }
    }

    /**
     * @param ackedBatches batches acknowledged by fsyncs that ended in the measured window
     * @param fsyncs       fsyncs that ended in the measured window
     * @param maxGroup     the most batches one fsync acknowledged (never above the in-flight limit)
     * @param fsyncMicros  each measured fsync's duration
     * @param totalBatches every batch written in the whole run, all of them acknowledged at its end
     * @param fileBytes    the file's length after the run
     */
    record Result(long ackedBatches, long fsyncs, long maxGroup, double measuredSeconds, Histogram fsyncMicros,
                  long totalBatches, long fileBytes) {

        /** 0 when nothing was measured (a PREZEROED file that filled up during the warm-up). */
        double batchesPerSecond() {
            return measuredSeconds > 0 ? ackedBatches / measuredSeconds : 0;
        }

        double batchesPerFsync() {
            return fsyncs == 0 ? 0 : (double) ackedBatches / fsyncs;
        }
    }

    private final Object lock = new Object();
    private final Settings settings;
    private long written;
    private long durable;
    private boolean writerDone;
    private IOException flushFailure;

    private long measuredFrom;
    private long measuredUntil;
    private long ackedBatches;
    private long fsyncs;
    private long maxGroup;
    private final Histogram fsyncMicros = new Histogram(3);

    private FsyncPipeline(Settings settings) {
        this.settings = settings;
    }

    /**
     * Runs the pipeline on {@code file}, which must not exist (it is created, and deleted at the
     * end), for warm-up plus duration, or until a {@link FileMode#PREZEROED} file is full.
     */
    static Result run(Path file, Settings settings) throws IOException, InterruptedException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try (channel) {
            long capacity = Long.MAX_VALUE;
            if (settings.mode() == FileMode.PREZEROED) {
                writeZeros(channel, settings.prezeroBytes());
                capacity = settings.prezeroBytes();
            }
            return new FsyncPipeline(settings).write(channel, capacity);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void writeZeros(FileChannel channel, long bytes) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
        long position = 0;
        while (position < bytes) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), bytes - position));
            position += channel.write(zeros, position);
        }
        channel.force(true);
    }

    private Result write(FileChannel channel, long capacity) throws IOException, InterruptedException {
        int batchBytes = settings.batchBytes();
        ByteBuffer batch = ByteBuffer.allocateDirect(batchBytes);
        byte[] content = new byte[batchBytes];
        ThreadLocalRandom.current().nextBytes(content);
        batch.put(content).flip();
        long start = System.nanoTime();
        measuredFrom = start + settings.warmup().toNanos();
        measuredUntil = measuredFrom + settings.duration().toNanos();
        Thread flusher = new Thread(() -> flushLoop(channel), "fsync-ceiling-flusher");
        flusher.start();
        long position = 0;
        long batches = 0;
        try {
            while (System.nanoTime() < measuredUntil && position + batchBytes <= capacity) {
                synchronized (lock) {
                    while (written - durable >= settings.inFlight() && flushFailure == null) {
                        lock.wait();
                    }
                    if (flushFailure != null) {
                        throw flushFailure;
                    }
                }
                ByteBuffer src = batch.duplicate();
                while (src.hasRemaining()) {
                    position += channel.write(src, position);
                }
                batches++;
                synchronized (lock) {
                    written = batches;
                    lock.notifyAll();
                }
            }
        } finally {
            synchronized (lock) {
                writerDone = true;
                measuredUntil = Math.min(measuredUntil, System.nanoTime());
                lock.notifyAll();
            }
            flusher.join();
        }
        synchronized (lock) {
            if (flushFailure != null) {
                throw flushFailure;
            }
            double seconds = Math.max(0, measuredUntil - measuredFrom) / 1e9;
            return new Result(ackedBatches, fsyncs, maxGroup, seconds, fsyncMicros, durable, channel.size());
        }
    }

    private void flushLoop(FileChannel channel) {
        while (true) {
            long target;
            long from;
            synchronized (lock) {
                while (written - durable < settings.minGroup() && !writerDone) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        flushFailure = new IOException("flusher interrupted", e);
                        lock.notifyAll();
                        return;
                    }
                }
                if (written == durable) {
                    return;
                }
                target = written;
                from = durable;
            }
            long began = System.nanoTime();
            try {
                channel.force(false);
            } catch (IOException | RuntimeException e) {
                synchronized (lock) {
                    flushFailure = e instanceof IOException io ? io : new IOException(e);
                    lock.notifyAll();
                }
                return;
            }
            long ended = System.nanoTime();
            synchronized (lock) {
                durable = target;
                lock.notifyAll();
                if (ended >= measuredFrom && ended < measuredUntil) {
                    long group = target - from;
                    ackedBatches += group;
                    fsyncs++;
                    maxGroup = Math.max(maxGroup, group);
                    fsyncMicros.recordValue(Math.max(1, (ended - began) / 1_000));
                }
            }
        }
    }
}
