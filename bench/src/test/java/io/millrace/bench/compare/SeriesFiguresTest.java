package io.millrace.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.millrace.bench.Json;
import org.junit.jupiter.api.Test;

class SeriesFiguresTest {

    @Test
    void aSteadyRunScoresNearOne() {
        double[] rates = {100, 102, 98, 101, 99, 100, 100};
        assertThat(SeriesFigures.worstWindowRatio(rates, 3)).isCloseTo(0.99, within(0.01));
    }

    @Test
    void aRunThatFallsToZeroForThreeSecondsScoresZero() {
        // Seed 001: full speed for the first seconds, then nothing.
        double[] rates = {100, 100, 100, 100, 100, 0, 0, 0, 100};
        assertThat(SeriesFigures.worstWindowRatio(rates, 3)).isZero();
    }

    @Test
    void oneSlowSecondIsAveragedOverItsWindow() {
        double[] rates = {100, 100, 100, 10, 100, 100, 100};
        // The worst window is (100 + 10 + 100) / 3 = 70, against a median of 100.
        assertThat(SeriesFigures.worstWindowRatio(rates, 3)).isCloseTo(0.70, within(1e-9));
    }

    @Test
    void tooFewSecondsHaveNoScore() {
        assertThat(SeriesFigures.worstWindowRatio(new double[] {100, 100}, 3)).isNaN();
    }

    @Test
    void readsTheSeriesOfALoadToolRunLeavingOutWarmupAndThePartialLastInterval() {
        String run = """
                {"series": [
                  {"t_s": 1.0, "warmup": true, "produce": {"msg_per_s": 0}},
                  {"t_s": 2.0, "warmup": false, "produce": {"msg_per_s": 200}},
                  {"t_s": 3.0, "warmup": false, "produce": {"msg_per_s": 100}},
                  {"t_s": 4.0, "warmup": false, "produce": {"msg_per_s": 200}},
                  {"t_s": 5.0, "warmup": false, "produce": {"msg_per_s": 200}},
                  {"t_s": 5.2, "warmup": false, "produce": {"msg_per_s": 1}}
                ]}""";
        // Measured seconds 200, 100, 200, 200: median 200, worst window (200 + 100 + 200) / 3.
        assertThat(SeriesFigures.worstWindowRatio(Json.parse(run), "produce", 3)).isCloseTo(500.0 / 3 / 200, within(1e-9));
    }

    @Test
    void theLateRateIsTheMeanOfTheSecondHalfOfTheMeasuredSeconds() {
        String run = """
                {"series": [
                  {"t_s": 1.0, "warmup": true, "produce": {"msg_per_s": 999}},
                  {"t_s": 2.0, "warmup": false, "produce": {"msg_per_s": 0}},
                  {"t_s": 3.0, "warmup": false, "produce": {"msg_per_s": 10}},
                  {"t_s": 4.0, "warmup": false, "produce": {"msg_per_s": 150}},
                  {"t_s": 5.0, "warmup": false, "produce": {"msg_per_s": 170}},
                  {"t_s": 6.0, "warmup": false, "produce": {"msg_per_s": 160}}
                ]}""";
        // Five measured seconds: the second half is the last three.
        assertThat(SeriesFigures.lateRate(Json.parse(run), "produce")).isCloseTo(160.0, within(1e-9));
    }
}
