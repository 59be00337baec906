package io.millrace.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadTest {

    @Test
    void theWorkloadsAreTheIssuesFigures() {
        assertThat(Workload.W1.steps(null, 0, 0).get(0).args()).containsSubsequence("--partitions", "1")
                .containsSubsequence("--record-size", "1024").containsSubsequence("--acks", "all")
                .containsSubsequence("--duration", "30000ms").containsSubsequence("--warmup", "5000ms")
                .doesNotContain("--rate");
        assertThat(Workload.W2.steps(null, 0, 0).get(0).args()).containsSubsequence("--producers", "128")
                .containsSubsequence("--record-size", "256").containsSubsequence("--acks", "1")
                .containsSubsequence("--partitions", "3");
        assertThat(Workload.W4.steps(null, 0, 0).get(0).args()).containsSubsequence("--rate", "20000");
        assertThat(Workload.W5.steps(null, 0, 0).get(0).args()).containsSubsequence("--partitions", "1000")
                .containsSubsequence("--producers", "8").containsSubsequence("--keys", "random").contains("--prime");
    }

    @Test
    void w1hRunsW1AtTheGivenRate() {
        List<String> args = Workload.W1H.steps(null, 0, 51_234).get(0).args();
        assertThat(args).containsSubsequence("--rate", "51234").containsSubsequence("--acks", "all")
                .containsSubsequence("--record-size", "1024").containsSubsequence("--partitions", "1");
    }

    @Test
    void w3WritesUnmeasuredThenMeasuresTwoReads() {
        List<Workload.Step> steps = Workload.W3.steps(null, 1024L * 1000, 0);
        assertThat(steps).extracting(Workload.Step::label).containsExactly("W3 write", "W3/1", "W3/3");
        assertThat(steps).extracting(Workload.Step::measured).containsExactly(false, true, true);
        assertThat(steps.get(0).args()).containsSubsequence("--records", "1000");
        assertThat(steps.get(2).args()).containsSubsequence("--consumers", "3");
    }

    @Test
    void aShortRunGetsAFifthOfItAsWarmup() {
        assertThat(Workload.W1.steps(Duration.ofSeconds(5), 0, 0).get(0).args())
                .containsSubsequence("--duration", "5000ms").containsSubsequence("--warmup", "1000ms");
    }
}
