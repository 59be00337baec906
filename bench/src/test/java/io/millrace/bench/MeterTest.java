package io.millrace.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;

class MeterTest {

    @Test
    void samplesCompletedDuringWarmupStayOutOfTheSummaryButShowInTheInterval() {
        Meter meter = new Meter("produce", 1_000);
        meter.onSuccess(5_000_000, 100, 999);
        meter.onSuccess(7_000_000, 100, 1_000);

        Meter.Interval interval = meter.takeInterval();
        assertThat(interval.records()).isEqualTo(2);
        assertThat(interval.latencyMicros().getTotalCount()).isEqualTo(2);
        Meter.Measured measured = meter.takeMeasured();
        assertThat(measured.records()).isEqualTo(1);
        assertThat(measured.bytes()).isEqualTo(100);
        assertThat(measured.totalRecords()).isEqualTo(2);
        assertThat(measured.latencyMicros().getMaxValue()).isBetween(6_990L, 7_010L);
    }

    @Test
    void errorsCountFromTheStartOfTheRunIncludingWarmup() {
        Meter meter = new Meter("produce", Long.MAX_VALUE);
        meter.onError(new NotLeaderOrFollowerException("moved"));
        meter.onError(new NotLeaderOrFollowerException("moved again"));
        meter.onError(new IllegalStateException("closed"));

        assertThat(meter.takeInterval().errors()).isEqualTo(3);
        assertThat(meter.takeMeasured().errors())
                .containsEntry("NOT_LEADER_OR_FOLLOWER (6)", 2L)
                .containsEntry("IllegalStateException", 1L);
    }

    @Test
    void errorsAreKeyedByKafkaErrorCodeWhenTheyHaveOne() {
        assertThat(Meter.classify(new RecordTooLargeException("big"))).isEqualTo("MESSAGE_TOO_LARGE (10)");
        assertThat(Meter.classify(new KafkaException(new NotLeaderOrFollowerException("x"))))
                .isEqualTo("NOT_LEADER_OR_FOLLOWER (6)");
        assertThat(Meter.classify(new KafkaException("no cause"))).isEqualTo("KafkaException");
    }
}
