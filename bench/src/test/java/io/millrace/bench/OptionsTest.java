package io.millrace.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class OptionsTest {

    private final DurationConverter durations = new DurationConverter();
    private final KeyPattern.Converter keys = new KeyPattern.Converter();

    @Test
    void durationsTakeAUnitAndBareNumbersAreSeconds() {
        assertThat(durations.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(durations.convert("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(durations.convert("1.5")).isEqualTo(Duration.ofMillis(1500));
        assertThat(durations.convert("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(durations.convert("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(DurationConverter.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThatThrownBy(() -> durations.convert("soon")).isInstanceOf(CommandLine.TypeConversionException.class);
    }

    @Test
    void keyPatternsProduceNoKeysRandomKeysOrAFixedSet() {
        SplittableRandom random = new SplittableRandom(7);
        assertThat(keys.convert("none").next(random, new byte[0][])).isNull();
        assertThat(keys.convert("random").next(random, new byte[0][])).hasSize(8);
        KeyPattern fixed = keys.convert("fixed:2");
        byte[][] set = fixed.buildFixedKeys();
        for (int i = 0; i < 20; i++) {
            assertThat(fixed.next(random, set)).isIn((Object[]) set);
        }
        assertThatThrownBy(() -> keys.convert("fixed:0")).isInstanceOf(CommandLine.TypeConversionException.class);
        assertThatThrownBy(() -> keys.convert("sequential")).isInstanceOf(CommandLine.TypeConversionException.class);
    }

    @Test
    void warmupMustBeShorterThanTheRun() {
        CommonOptions options = new CommonOptions();
        new CommandLine(options).parseArgs("--duration", "5s", "--warmup", "5s");
        assertThatThrownBy(options::validate).hasMessageContaining("--warmup 5s must be shorter than --duration 5s");
    }
}
