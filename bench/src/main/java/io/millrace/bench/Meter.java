package io.millrace.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.protocol.Errors;

/**
 * Counts what one side of a run did (records, bytes, errors) and records every latency sample,
 * in microseconds, in HdrHistogram {@link Recorder}s: no sampling, nothing dropped.
 *
 * <p>Each sample goes to two recorders: the interval recorder, drained once a second by the
 * {@link Reporter} for the progress line, and the measured recorder, which takes only samples
 * completed after the warm-up and is read once, for the summary. Deciding by each sample's own
 * completion time keeps the warm-up boundary exact, independent of when the reporter ticks.
 * Errors are never excluded: one failed during warm-up is still a failure.
 *
 * <p>Thread-safety: {@code onSuccess} and {@code onError} may be called from any number of
 * threads (producer I/O threads, consumer threads) concurrently; the {@code take*} methods from
 * one reader thread at a time.
 */
final class Meter {

    private final String name;
    private volatile long warmupEndNanos;
    private final Recorder interval = new Recorder(3);
    private final Recorder measured = new Recorder(3);
    private final LongAdder intervalRecords = new LongAdder();
    private final LongAdder intervalBytes = new LongAdder();
    private final LongAdder intervalErrors = new LongAdder();
    private final LongAdder totalRecords = new LongAdder();
    private final LongAdder measuredRecords = new LongAdder();
    private final LongAdder measuredBytes = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

    Meter(String name, long warmupEndNanos) {
        this.name = name;
        this.warmupEndNanos = warmupEndNanos;
    }

    /**
     * Moves the warm-up end, for a meter created before its run's clock started (e2e creates its
     * consumers, and their meter, before the producers and the clock). Call before the first
     * {@code onSuccess}.
     */
    void measureFrom(long warmupEndNanos) {
        this.warmupEndNanos = warmupEndNanos;
    }

    String name() {
        return name;
    }

    /** One record done: acknowledged (produce) or received (consume), {@code latencyNanos} after its start. */
    void onSuccess(long latencyNanos, int bytes, long nowNanos) {
        long micros = Math.max(0, latencyNanos / 1_000);
        interval.recordValue(micros);
        intervalRecords.increment();
        intervalBytes.add(bytes);
        totalRecords.increment();
        if (nowNanos - warmupEndNanos >= 0) {
            measured.recordValue(micros);
            measuredRecords.increment();
            measuredBytes.add(bytes);
        }
    }

    void onError(Throwable error) {
        onError(classify(error), 1);
    }

    void onError(String key, long count) {
        errors.computeIfAbsent(key, k -> new LongAdder()).add(count);
        intervalErrors.add(count);
    }

    /** Records completed so far, warm-up included. */
    long totalRecords() {
        return totalRecords.sum();
    }

    Interval takeInterval() {
        return new Interval(intervalRecords.sumThenReset(), intervalBytes.sumThenReset(),
                intervalErrors.sumThenReset(), interval.getIntervalHistogram());
    }

    /** Everything after the warm-up; call once, at the end. */
    Measured takeMeasured() {
        Map<String, Long> errorCounts = new TreeMap<>();
        errors.forEach((key, count) -> errorCounts.put(key, count.sum()));
        return new Measured(measuredRecords.sum(), measuredBytes.sum(), totalRecords.sum(), measured.getIntervalHistogram(),
                errorCounts);
    }

    /** What happened since the previous {@code takeInterval}. */
    record Interval(long records, long bytes, long errors, Histogram latencyMicros) {
    }

    /** {@code records} and {@code bytes} after the warm-up; {@code totalRecords} over the whole run. */
    record Measured(long records, long bytes, long totalRecords, Histogram latencyMicros, Map<String, Long> errors) {
    }

    /**
     * The error's Kafka error code name where it has one ({@code NOT_LEADER_OR_FOLLOWER}), else
     * its class ({@code SerializationException}).
     */
    static String classify(Throwable error) {
        Throwable cause = error;
        while (cause.getClass() == KafkaException.class && cause.getCause() != null) {
            cause = cause.getCause();
        }
        Errors code = Errors.forException(cause);
        if (code != Errors.UNKNOWN_SERVER_ERROR && code != Errors.NONE) {
            return code.name() + " (" + code.code() + ")";
        }
        return cause.getClass().getSimpleName();
    }
}
