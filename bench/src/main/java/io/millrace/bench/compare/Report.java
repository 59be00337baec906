package io.millrace.bench.compare;

import io.millrace.bench.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of every run, by workload step and broker; medians over the rounds and the ratios
 * Millrace/Kafka, as a console table, JSON and Markdown.
 */
final class Report {

    /**
     * A figure of a run: its key in the JSON, its column header, how it is printed, and whether a
     * Millrace/Kafka ratio of it means anything.
     */
    record Figure(String key, String header, String format, boolean ratio) {
        Figure(String key, String header, String format) {
            this(key, header, format, true);
        }

        /**
         * {@code text} as this figure's console column: a space, then right-aligned in ten
         * characters, or in the header's length if that is longer.
         */
        String column(String text) {
            return String.format(Locale.ROOT, " %" + Math.max(10, header.length()) + "s", text);
        }
    }

    static final List<Figure> FIGURES = List.of(
            new Figure("msg_per_s", "msg/s", "%,.0f"),
            new Figure("late_msg_per_s", "late msg/s", "%,.0f"),
            new Figure("mb_per_s", "MB/s", "%.2f"),
            new Figure("p50_ms", "p50 ms", "%.3f"),
            new Figure("p99_ms", "p99 ms", "%.3f"),
            new Figure("p99_9_ms", "p99.9 ms", "%.3f"),
            new Figure("max_ms", "max ms", "%.3f"),
            new Figure("rss_peak_mb", "RSS MB", "%.0f"),
            new Figure("cpu_s", "CPU s", "%.2f"),
            new Figure("broker_us_per_msg", "broker µs/msg", "%.2f"),
            new Figure("client_us_per_msg", "client µs/msg", "%.2f", false),
            new Figure("ready_s", "ready s", "%.3f"),
            new Figure("errors", "errors", "%.0f", false),
            new Figure("worst_3s", "worst 3s", "%.2f", false));

    /**
     * One broker's figures in one round: msg/s and latency of the load tool, the rest from /proc.
     * The CPU cost per message is the CPU time the broker and the load tool (the client) used after
     * the warm-up, as the load tool read it, over the records of that same part of the run: with
     * both on the same cores and the cores saturated, {@code cores / (broker + client µs/msg)} is
     * the rate they sustain.
     */
    record Run(int round, boolean ok, String error, Map<String, Double> figures) {

        static Run failed(int round, String error) {
            return new Run(round, false, error, Map.of());
        }

        static Run of(int round, Object summary, String meter, double readySeconds, long peakRssBytes, long rssBytes,
                      double cpuSeconds, double stepCpuSeconds) {
            Map<String, Double> figures = new LinkedHashMap<>();
            figures.put("msg_per_s", Json.number(summary, "summary", meter, "msg_per_s"));
            figures.put("mb_per_s", Json.number(summary, "summary", meter, "mb_per_s"));
            figures.put("p50_ms", Json.number(summary, "summary", meter, "latency_ms", "p50"));
            figures.put("p95_ms", Json.number(summary, "summary", meter, "latency_ms", "p95"));
            figures.put("p99_ms", Json.number(summary, "summary", meter, "latency_ms", "p99"));
            figures.put("p99_9_ms", Json.number(summary, "summary", meter, "latency_ms", "p99_9"));
            figures.put("max_ms", Json.number(summary, "summary", meter, "latency_ms", "max"));
            figures.put("records", Json.number(summary, "summary", meter, "records"));
            figures.put("errors", Json.number(summary, "errors_total"));
            figures.put("worst_3s", SeriesFigures.worstWindowRatio(summary, meter, SeriesFigures.WINDOW_SECONDS));
            figures.put("late_msg_per_s", SeriesFigures.lateRate(summary, meter));
            figures.put("rss_peak_mb", peakRssBytes < 0 ? Double.NaN : peakRssBytes / 1e6);
            figures.put("rss_mb", rssBytes < 0 ? Double.NaN : rssBytes / 1e6);
            figures.put("cpu_s", cpuSeconds);
            figures.put("cpu_step_s", stepCpuSeconds);
            double measuredRecords = Json.number(summary, "summary", meter, "records");
            figures.put("broker_us_per_msg",
                    perMessageMicros(Json.number(summary, "cpu_measured", "broker_s"), measuredRecords));
            figures.put("client_us_per_msg",
                    perMessageMicros(Json.number(summary, "cpu_measured", "load_tool_s"), measuredRecords));
            figures.put("ready_s", readySeconds);
            return new Run(round, true, null, figures);
        }

        private static double perMessageMicros(double cpuSeconds, double records) {
            return records > 0 ? cpuSeconds * 1e6 / records : Double.NaN;
        }

        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("round", round);
            json.put("ok", ok);
            if (error != null) {
                json.put("error", error);
            }
            json.putAll(figures);
            return json;
        }
    }

    private final List<String> brokers;
    /** step label -> broker -> runs in round order. */
    private final Map<String, Map<String, List<Run>>> runs = new LinkedHashMap<>();
    private final Map<String, String> descriptions = new LinkedHashMap<>();

    Report(List<String> brokers) {
        this.brokers = List.copyOf(brokers);
    }

    void describe(Workload workload) {
        descriptions.putIfAbsent(workload.name(), workload.description);
    }

    void add(String label, String broker, Run run) {
        runs.computeIfAbsent(label, l -> new LinkedHashMap<>()).computeIfAbsent(broker, b -> new ArrayList<>()).add(run);
    }

    /** Median of a figure over the broker's successful runs; NaN when none has it. */
    double median(String label, String broker, String key) {
        List<Run> list = runs.getOrDefault(label, Map.of()).getOrDefault(broker, List.of());
        double[] values = list.stream().filter(Run::ok).map(r -> r.figures().get(key))
                .filter(v -> v != null && !v.isNaN()).mapToDouble(Double::doubleValue).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    private String description(String label) {
        return descriptions.getOrDefault(label.replaceAll("[/ ].*", ""), "") + switch (label) {
            case "W3/1" -> " -- 1 consumer";
            case "W3/3" -> " -- group of 3";
            default -> "";
        };
    }

    private List<String> millraceBrokers() {
        return brokers.stream().filter(b -> !b.equals("kafka")).toList();
    }

    private boolean hasKafka() {
        return brokers.contains("kafka");
    }

    private static String cell(Figure figure, double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, figure.format(), value);
    }

    private static String ratio(double millrace, double kafka) {
        if (Double.isNaN(millrace) || Double.isNaN(kafka) || kafka == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2fx", millrace / kafka);
    }

    private int rounds(String label, String broker) {
        return (int) runs.getOrDefault(label, Map.of()).getOrDefault(broker, List.of()).stream().filter(Run::ok).count();
    }

    void print(PrintWriter out) {
        out.println();
        out.println("Medians over the rounds (ratio rows: Millrace / Kafka; for msg/s and MB/s higher is better, "
                + "for the rest lower is better)");
        for (String label : runs.keySet()) {
            out.printf("%n%s: %s%n", label, description(label));
            StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "  %-22s", ""));
            FIGURES.forEach(f -> header.append(f.column(f.header())));
            out.println(header);
            for (String broker : brokers) {
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-22s",
                        broker + " (" + rounds(label, broker) + ")"));
                FIGURES.forEach(f -> row.append(f.column(cell(f, median(label, broker, f.key())))));
                out.println(row);
            }
            if (hasKafka()) {
                for (String broker : millraceBrokers()) {
                    StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-22s",
                            broker.replace("millrace-", "") + "/kafka"));
                    FIGURES.forEach(f -> row.append(f.column(!f.ratio() ? ""
                            : ratio(median(label, broker, f.key()), median(label, "kafka", f.key())))));
                    out.println(row);
                }
            }
            runs.get(label).forEach((broker, list) -> list.stream().filter(r -> !r.ok()).forEach(r ->
                    out.printf("  FAILED %s round %d: %s%n", broker, r.round(), r.error())));
        }
        out.flush();
    }

    Map<String, Object> toJson(Map<String, Object> setup) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("setup", setup);
        Map<String, Object> results = new LinkedHashMap<>();
        for (String label : runs.keySet()) {
            Map<String, Object> workload = new LinkedHashMap<>();
            workload.put("description", description(label));
            Map<String, Object> byBroker = new LinkedHashMap<>();
            for (String broker : brokers) {
                Map<String, Object> entry = new LinkedHashMap<>();
                Map<String, Object> medians = new LinkedHashMap<>();
                for (String key : List.of("msg_per_s", "late_msg_per_s", "mb_per_s", "p50_ms", "p95_ms", "p99_ms",
                        "p99_9_ms", "max_ms",
                        "rss_peak_mb", "rss_mb", "cpu_s", "cpu_step_s", "broker_us_per_msg",
                        "client_us_per_msg", "ready_s", "errors", "worst_3s")) {
                    medians.put(key, median(label, broker, key));
                }
                entry.put("median", medians);
                List<Object> list = new ArrayList<>();
                runs.get(label).getOrDefault(broker, List.of()).forEach(r -> list.add(r.toJson()));
                entry.put("runs", list);
                byBroker.put(broker, entry);
            }
            workload.put("brokers", byBroker);
            if (hasKafka()) {
                Map<String, Object> ratios = new LinkedHashMap<>();
                for (String broker : millraceBrokers()) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    for (Figure f : FIGURES) {
                        if (f.ratio()) {
                            double k = median(label, "kafka", f.key());
                            double m = median(label, broker, f.key());
                            r.put(f.key(), k == 0 ? Double.NaN : m / k);
                        }
                    }
                    ratios.put(broker + "/kafka", r);
                }
                workload.put("ratios", ratios);
            }
            results.put(label, workload);
        }
        json.put("results", results);
        return json;
    }

    String toMarkdown(Map<String, Object> setup) {
        StringBuilder md = new StringBuilder("# Millrace vs Apache Kafka 4.3.1\n\n");
        md.append("- Machine: ").append(setup.get("machine")).append('\n');
        md.append("- Command: `millrace bench ")
                .append(String.join(" ", ((List<?>) setup.get("command_line")).stream().map(String::valueOf).toList()))
                .append("`\n");
        md.append("- Rounds: ").append(setup.get("rounds"))
                .append(" (brokers alternate within each round, and each round starts with the next one: ")
                .append(String.join(", ", brokers)).append("; each started fresh on an empty data directory")
                .append(setup.get("settle") == null ? "" : ", " + setup.get("settle")
                        + " after the previous run's broker stopped and its data were deleted")
                .append(")\n");
        md.append("- Kafka JVM options: `").append(setup.get("kafka_jvm_opts")).append("`\n");
        md.append("- Millrace JVM options: `").append(setup.get("millrace_jvm_opts")).append("`\n");
        Object config = setup.get("millrace_config");
        md.append("- Millrace settings: ").append(config instanceof Map<?, ?> map && !map.isEmpty()
                ? "`" + String.join(" ", map.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
                        + "` (every other setting at its default)"
                : "defaults").append("\n\n");
        md.append("Medians over the rounds. RSS is the broker's peak (VmHWM); CPU is user+system seconds of the "
                + "broker process from its start to the end of the workload; broker and client µs/msg are the CPU "
                + "time the broker and the load tool used after the warm-up over the records measured (the two "
                + "share the machine's cores); ready is process start to ready (Kafka: \"Kafka Server started\" "
                + "logged; Millrace: /health/ready answers 200); worst 3s is the lowest mean rate of any 3 "
                + "consecutive seconds after the warm-up over the run's median per-second rate (1 is steady; below "
                + "0.5 is a collapse in issue 4's terms); late msg/s is the mean per-second rate over the second "
                + "half of the measured seconds (where a broker settled, apart from how it started).\n");
        for (String label : runs.keySet()) {
            md.append("\n## ").append(label).append(": ").append(description(label)).append("\n\n| broker |");
            FIGURES.forEach(f -> md.append(' ').append(f.header()).append(" |"));
            md.append("\n|---|");
            FIGURES.forEach(f -> md.append("---:|"));
            md.append('\n');
            for (String broker : brokers) {
                md.append("| ").append(broker).append(" (").append(rounds(label, broker)).append(") |");
                FIGURES.forEach(f -> md.append(' ').append(cell(f, median(label, broker, f.key()))).append(" |"));
                md.append('\n');
            }
            if (hasKafka()) {
                for (String broker : millraceBrokers()) {
                    md.append("| ").append(broker.replace("millrace-", "")).append("/kafka |");
                    FIGURES.forEach(f -> md.append(' ').append(!f.ratio() ? ""
                            : ratio(median(label, broker, f.key()), median(label, "kafka", f.key()))).append(" |"));
                    md.append('\n');
                }
            }
            runs.get(label).forEach((broker, list) -> list.stream().filter(r -> !r.ok()).forEach(r ->
                    md.append("\nFAILED: ").append(broker).append(" round ").append(r.round()).append(": ")
                            .append(r.error()).append('\n')));
        }
        return md.toString();
    }
}
