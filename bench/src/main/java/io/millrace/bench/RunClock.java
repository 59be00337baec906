package io.millrace.bench;

import java.time.Duration;

/**
 * The time frame of one run, on {@link System#nanoTime()}: when it started, when the warm-up
 * ends, and when sending stops ({@code Long.MAX_VALUE} in record-count mode). {@link #stop()}
 * ends the run early (Ctrl-C, or every record done); every loop checks {@link #isStopped()}.
 */
final class RunClock {

    private final long startNanos;
    private final long warmupEndNanos;
    private final long deadlineNanos;
    private volatile boolean stopped;

    RunClock(long startNanos, Duration warmup, Duration duration) {
        this.startNanos = startNanos;
        this.warmupEndNanos = startNanos + warmup.toNanos();
        this.deadlineNanos = duration == null ? Long.MAX_VALUE : startNanos + duration.toNanos();
    }

    long startNanos() {
        return startNanos;
    }

    long warmupEndNanos() {
        return warmupEndNanos;
    }

    long deadlineNanos() {
        return deadlineNanos;
    }

    boolean isPastDeadline(long nowNanos) {
        return deadlineNanos != Long.MAX_VALUE && nowNanos - deadlineNanos >= 0;
    }

    boolean isInWarmup(long nowNanos) {
        return nowNanos - warmupEndNanos < 0;
    }

    void stop() {
        stopped = true;
    }

    boolean isStopped() {
        return stopped;
    }
}
