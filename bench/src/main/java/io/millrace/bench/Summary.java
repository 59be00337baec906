package io.millrace.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The result of one run: a {@link MeterSummary} per meter (produce, consume, e2e), computed from
 * the samples after the warm-up, the CPU the load tool and the broker used over the same part of
 * the run, plus the per-second series the {@link Reporter} printed. Megabytes are 10^6 bytes of
 * record values and keys.
 */
record Summary(String command, List<String> args, double warmupSeconds, List<MeterSummary> meters,
               Reporter.Cpu measuredCpu, List<Reporter.Point> series) {

    static final double BYTES_PER_MB = 1_000_000.0;

    /**
     * @param records      records done after the warm-up (the rates are of these)
     * @param totalRecords records done over the whole run, warm-up included: what a check of
     *                     "every acknowledged record read back" compares
     */
    record MeterSummary(String name, long records, long totalRecords, long bytes, double seconds, double msgPerSecond,
                        double mbPerSecond, Latency latency, Map<String, Long> errors) {

        static MeterSummary of(String name, Meter.Measured measured, double seconds) {
            double rate = seconds > 0 ? measured.records() / seconds : 0;
            double mbRate = seconds > 0 ? measured.bytes() / BYTES_PER_MB / seconds : 0;
            return new MeterSummary(name, measured.records(), measured.totalRecords(), measured.bytes(), seconds, rate,
                    mbRate, Latency.of(measured.latencyMicros()), Map.copyOf(measured.errors()));
        }

        long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }

        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("records", records);
            json.put("records_total", totalRecords);
            json.put("bytes", bytes);
            json.put("seconds", seconds);
            json.put("msg_per_s", msgPerSecond);
            json.put("mb_per_s", mbPerSecond);
            json.put("latency_ms", latency.toJson());
            json.put("errors_total", errorCount());
            json.put("errors", new TreeMap<>(errors));
            return json;
        }
    }

    /** Latency percentiles in milliseconds, from a histogram of microseconds. */
    record Latency(long samples, double p50Ms, double p95Ms, double p99Ms, double p999Ms, double maxMs, double meanMs) {

        static Latency of(Histogram micros) {
            if (micros.getTotalCount() == 0) {
                return new Latency(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            return new Latency(micros.getTotalCount(), ms(micros.getValueAtPercentile(50)),
                    ms(micros.getValueAtPercentile(95)), ms(micros.getValueAtPercentile(99)),
                    ms(micros.getValueAtPercentile(99.9)), ms(micros.getMaxValue()), micros.getMean() / 1_000.0);
        }

        private static double ms(long micros) {
            return micros / 1_000.0;
        }

        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("samples", samples);
            json.put("p50", p50Ms);
            json.put("p95", p95Ms);
            json.put("p99", p99Ms);
            json.put("p99_9", p999Ms);
            json.put("max", maxMs);
            json.put("mean", meanMs);
            return json;
        }
    }

    long errorCount() {
        return meters.stream().mapToLong(MeterSummary::errorCount).sum();
    }

    MeterSummary meter(String name) {
        return meters.stream().filter(meter -> meter.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no meter " + name + " in " + meters));
    }

    void print(PrintWriter out) {
        out.printf(Locale.ROOT, "Summary of %s (after %.1f s warm-up):%n", command, warmupSeconds);
        for (MeterSummary meter : meters) {
            Latency latency = meter.latency();
            out.printf(Locale.ROOT, "  %-8s %,d records in %.1f s: %,.0f msg/s, %.2f MB/s (%,d records in all)%n",
                    meter.name(), meter.records(), meter.seconds(), meter.msgPerSecond(), meter.mbPerSecond(),
                    meter.totalRecords());
            out.printf(Locale.ROOT, "  %-8s latency ms: p50 %s  p95 %s  p99 %s  p99.9 %s  max %s  (%,d samples)%n", "",
                    fmt(latency.p50Ms()), fmt(latency.p95Ms()), fmt(latency.p99Ms()), fmt(latency.p999Ms()),
                    fmt(latency.maxMs()), latency.samples());
            if (meter.errors().isEmpty()) {
                out.printf(Locale.ROOT, "  %-8s errors: 0%n", "");
            } else {
                out.printf(Locale.ROOT, "  %-8s errors: %,d%n", "", meter.errorCount());
                new TreeMap<>(meter.errors()).forEach((key, count) ->
                        out.printf(Locale.ROOT, "  %-8s   %s: %,d%n", "", key, count));
            }
        }
        if (!Double.isNaN(measuredCpu.loadToolSeconds())) {
            out.printf(Locale.ROOT, "  CPU after the warm-up: load tool %.2f s, broker %s%n",
                    measuredCpu.loadToolSeconds(),
                    Double.isNaN(measuredCpu.brokerSeconds()) ? "- (no --broker-pid)"
                            : String.format(Locale.ROOT, "%.2f s", measuredCpu.brokerSeconds()));
        }
        out.flush();
    }

    static String fmt(double ms) {
        return Double.isNaN(ms) ? "-" : String.format(Locale.ROOT, "%.3f", ms);
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", command);
        json.put("args", args);
        json.put("warmup_s", warmupSeconds);
        Map<String, Object> summary = new LinkedHashMap<>();
        meters.forEach(meter -> summary.put(meter.name(), meter.toJson()));
        json.put("summary", summary);
        json.put("errors_total", errorCount());
        json.put("cpu_measured", measuredCpu.toJson());
        List<Object> points = new ArrayList<>();
        series.forEach(point -> points.add(point.toJson()));
        json.put("series", points);
        return json;
    }
}
