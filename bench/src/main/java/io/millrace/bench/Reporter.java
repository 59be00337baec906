package io.millrace.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Once a second, drains every {@link Meter}'s interval, prints one progress line and keeps the
 * point for {@code --json}:
 *
 * <pre>[   7.0s] produce 112,300 msg/s 28.75 MB/s p50 1.204 p99 5.311 ms errors 0</pre>
 *
 * <p>Rates are for the last second; p50/p99 are "so far": over every sample since the warm-up
 * ended (over the warm-up itself while it lasts, marked {@code warm-up}). The summary does not use
 * these histograms: it reads each meter's measured recorder, whose warm-up cut is exact.
 *
 * <p>It also reads the CPU time this JVM (the load tool) and, given {@code --broker-pid}, the broker
 * have used when the warm-up ends and when the run finishes: {@link #measuredCpu()} is what the
 * measured part of the run cost each of them.
 *
 * <p>Threads: one daemon thread, {@code bench-reporter}; {@link #finish()} from the run's thread.
 */
final class Reporter {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final RunClock clock;
    private final List<Meter> meters;
    private final PrintWriter out;
    private final Map<String, Histogram> soFar = new LinkedHashMap<>();
    private final List<Point> series = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "bench-reporter");
        thread.setDaemon(true);
        return thread;
    });
    private final Long brokerPid;
    private long lastTickNanos;
    private boolean soFarIsMeasured;
    private volatile Cpu cpuAtWarmupEnd;
    private Cpu measuredCpu = Cpu.UNKNOWN;

    /** @param brokerPid the broker process whose CPU time to read, or null */
    Reporter(RunClock clock, List<Meter> meters, PrintWriter out, Long brokerPid) {
        this.clock = clock;
        this.meters = List.copyOf(meters);
        this.out = out;
        this.brokerPid = brokerPid;
        this.lastTickNanos = clock.startNanos();
        meters.forEach(meter -> soFar.put(meter.name(), new Histogram(3)));
    }

    void start() {
        long untilWarmupEnd = clock.warmupEndNanos() - System.nanoTime();
        if (untilWarmupEnd <= 0) {
            cpuAtWarmupEnd = readCpu();
        } else {
            timer.schedule(() -> {
                cpuAtWarmupEnd = readCpu();
            }, untilWarmupEnd, TimeUnit.NANOSECONDS);
        }
        scheduleNextTick();
    }

    private Cpu readCpu() {
        return new Cpu(ProcessCpu.ofThisJvm(), brokerPid == null ? Double.NaN : ProcessCpu.ofPid(brokerPid));
    }

    /** CPU seconds of the load tool and the broker between the warm-up's end and {@link #finish()}. */
    Cpu measuredCpu() {
        return measuredCpu;
    }

    /**
     * Ticks fall on whole seconds since the start. After a stall (a long GC pause in this JVM)
     * the missed seconds are skipped, not run back to back: the next line covers the whole gap.
     */
    private void scheduleNextTick() {
        long sinceStartNanos = System.nanoTime() - clock.startNanos();
        long nextNanos = (sinceStartNanos / NANOS_PER_SECOND + 1) * NANOS_PER_SECOND;
        try {
            timer.schedule(() -> {
                tick();
                scheduleNextTick();
            }, nextNanos - sinceStartNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException finished) {
            // finish() shut the timer down; the last line is its own.
        }
    }

    /** Stops the timer and reports the partial last interval, so the series covers the whole run. */
    List<Point> finish() {
        Cpu atEnd = readCpu();
        Cpu atWarmupEnd = cpuAtWarmupEnd;
        if (atWarmupEnd != null) {
            measuredCpu = new Cpu(atEnd.loadToolSeconds() - atWarmupEnd.loadToolSeconds(),
                    atEnd.brokerSeconds() - atWarmupEnd.brokerSeconds());
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (System.nanoTime() - lastTickNanos > 100_000_000L) {
                tick();
            }
            return List.copyOf(series);
        }
    }

    private synchronized void tick() {
        long now = System.nanoTime();
        double seconds = (now - lastTickNanos) / 1e9;
        // An interval that began in the warm-up is shown as warm-up; "so far" restarts after it.
        boolean warmup = clock.isInWarmup(lastTickNanos);
        lastTickNanos = now;
        if (!warmup && !soFarIsMeasured) {
            soFarIsMeasured = true;
            soFar.values().forEach(Histogram::reset);
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "[%6.1fs]", (now - clock.startNanos()) / 1e9));
        Map<String, Rate> rates = new LinkedHashMap<>();
        for (Meter meter : meters) {
            Meter.Interval interval = meter.takeInterval();
            Histogram cumulative = soFar.get(meter.name());
            cumulative.add(interval.latencyMicros());
            Rate rate = Rate.of(interval, seconds);
            rates.put(meter.name(), rate);
            line.append(String.format(Locale.ROOT, " %s %,.0f msg/s %.2f MB/s p50 %s p99 %s ms errors %,d",
                    meter.name(), rate.msgPerSecond(), rate.mbPerSecond(), percentileMs(cumulative, 50),
                    percentileMs(cumulative, 99), interval.errors()));
            if (meters.size() > 1 && meter != meters.get(meters.size() - 1)) {
                line.append(" |");
            }
        }
        if (warmup) {
            line.append(" (warm-up)");
        }
        series.add(new Point((now - clock.startNanos()) / 1e9, warmup, rates));
        out.println(line);
        out.flush();
    }

    private static String percentileMs(Histogram micros, double percentile) {
        return micros.getTotalCount() == 0 ? "-"
                : String.format(Locale.ROOT, "%.3f", micros.getValueAtPercentile(percentile) / 1_000.0);
    }

    /** CPU seconds of the load tool (this JVM) and of the broker; NaN where unknown. */
    record Cpu(double loadToolSeconds, double brokerSeconds) {
        static final Cpu UNKNOWN = new Cpu(Double.NaN, Double.NaN);

        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("load_tool_s", loadToolSeconds);
            json.put("broker_s", brokerSeconds);
            return json;
        }
    }

    /** One meter over one interval; latencies are of that interval alone. */
    record Rate(double msgPerSecond, double mbPerSecond, Summary.Latency latency, long errors) {
        static Rate of(Meter.Interval interval, double seconds) {
            double perSecond = seconds > 0 ? 1 / seconds : 0;
            return new Rate(interval.records() * perSecond, interval.bytes() / Summary.BYTES_PER_MB * perSecond,
                    Summary.Latency.of(interval.latencyMicros()), interval.errors());
        }
    }

    /** One progress line: seconds since the start (the end of the interval). */
    record Point(double elapsedSeconds, boolean warmup, Map<String, Rate> rates) {
        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("t_s", elapsedSeconds);
            json.put("warmup", warmup);
            rates.forEach((name, rate) -> {
                Map<String, Object> meter = new LinkedHashMap<>();
                meter.put("msg_per_s", rate.msgPerSecond());
                meter.put("mb_per_s", rate.mbPerSecond());
                meter.put("p50_ms", rate.latency().p50Ms());
                meter.put("p99_ms", rate.latency().p99Ms());
                meter.put("max_ms", rate.latency().maxMs());
                meter.put("errors", rate.errors());
                json.put(name, meter);
            });
            return json;
        }
    }
}
