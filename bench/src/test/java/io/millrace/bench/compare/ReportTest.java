package io.millrace.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.bench.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {

    private static Object summary(double msgPerSecond, double p99) {
        return Json.parse("""
                {"summary": {"produce": {"msg_per_s": %s, "mb_per_s": 1, "records": 10, "records_total": 20,
                  "latency_ms": {"p50": 1, "p95": 2, "p99": %s, "p99_9": 4, "max": 5}}},
                 "errors_total": 0, "cpu_measured": {"load_tool_s": 4, "broker_s": 2}, "series": []}""".formatted(msgPerSecond, p99));
    }

    private static Report.Run run(int round, double msgPerSecond, double p99) {
        return Report.Run.of(round, summary(msgPerSecond, p99), "produce", 1.0, 100_000_000L, 90_000_000L, 3.0, 2.0);
    }

    @Test
    @SuppressWarnings("unchecked")
    void mediansLeaveOutFailedRoundsAndRatiosDivideByKafka() {
        Report report = new Report(List.of("kafka", "millrace-durable"));
        report.describe(Workload.W1);
        report.add("W1", "kafka", run(1, 100, 8));
        report.add("W1", "kafka", run(2, 300, 6));
        report.add("W1", "kafka", run(3, 200, 7));
        report.add("W1", "millrace-durable", run(1, 400, 3));
        report.add("W1", "millrace-durable", Report.Run.failed(2, "exited"));
        report.add("W1", "millrace-durable", run(3, 600, 4));

        assertThat(report.median("W1", "kafka", "msg_per_s")).isEqualTo(200);
        assertThat(report.median("W1", "millrace-durable", "msg_per_s")).isEqualTo(500);
        assertThat(report.median("W1", "millrace-durable", "p99_ms")).isEqualTo(3.5);
        assertThat(report.median("W2", "kafka", "msg_per_s")).isNaN();
        // 2 broker and 4 load-tool CPU seconds after the warm-up, over the 10 records measured.
        assertThat(report.median("W1", "kafka", "broker_us_per_msg")).isEqualTo(200_000);
        assertThat(report.median("W1", "kafka", "client_us_per_msg")).isEqualTo(400_000);

        Map<String, ?> ratios = (Map<String, ?>) Json.path(report.toJson(Map.of()), "results", "W1", "ratios", "millrace-durable/kafka");
        assertThat((Double) ratios.get("msg_per_s")).isEqualTo(2.5);
        assertThat((Double) ratios.get("p99_ms")).isEqualTo(0.5);
        assertThat(ratios).doesNotContainKeys("errors", "worst_3s");

        StringWriter printed = new StringWriter();
        report.print(new PrintWriter(printed));
        assertThat(printed.toString()).contains("durable/kafka", "2.50x", "FAILED millrace-durable round 2: exited");
    }

    @Test
    void roundsRotateTheBrokerOrder() {
        List<String> brokers = List.of("kafka", "millrace-durable", "millrace-relaxed");
        assertThat(CompareCommand.rotated(brokers, 0)).containsExactly("kafka", "millrace-durable", "millrace-relaxed");
        assertThat(CompareCommand.rotated(brokers, 1)).containsExactly("millrace-durable", "millrace-relaxed", "kafka");
        assertThat(CompareCommand.rotated(brokers, 3)).containsExactly("kafka", "millrace-durable", "millrace-relaxed");
    }
}
