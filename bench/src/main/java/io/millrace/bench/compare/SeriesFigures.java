package io.millrace.bench.compare;

import io.millrace.bench.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Figures from a load-tool run's per-second series. First, seed 001's failure as a number: the
 * lowest mean rate of any window of consecutive one-second progress intervals after the warm-up,
 * divided by the median one-second rate of the same run. A
 * run that holds its rate scores near 1; a run whose throughput fell to zero for the window scores
 * 0. Issue 4 asks that no 3-second window in W2 fall below half the median (a score under 0.5).
 * Second, the rate a run settled at ({@link #lateRate}).
 */
final class SeriesFigures {

    static final int WINDOW_SECONDS = 3;

    /** Shorter intervals (the partial last one, cut by the end of the run) are left out. */
    private static final double MIN_INTERVAL_SECONDS = 0.9;

    private SeriesFigures() {
    }

    /**
     * The score of a load-tool run, read from its {@code --json} output's per-second series.
     *
     * @return NaN when the run has fewer measured intervals than the window
     */
    static double worstWindowRatio(Object runJson, String meter, int windowSeconds) {
        return worstWindowRatio(measuredRates(runJson, meter), windowSeconds);
    }

    /** The per-second msg/s of a run's full intervals after the warm-up, in order. */
    private static double[] measuredRates(Object runJson, String meter) {
        List<Double> rates = new ArrayList<>();
        Object series = Json.path(runJson, "series");
        double previous = 0;
        if (series instanceof List<?> points) {
            for (Object point : points) {
                double t = Json.number(point, "t_s");
                boolean warmup = Boolean.TRUE.equals(Json.path(point, "warmup"));
                Object rate = Json.path(point, meter);
                if (!warmup && t - previous >= MIN_INTERVAL_SECONDS && rate instanceof Map<?, ?>) {
                    rates.add(Json.number(rate, "msg_per_s"));
                }
                previous = t;
            }
        }
        return rates.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * The mean one-second rate over the second half of the measured intervals: the rate a broker
     * settled at, apart from how it started (Kafka, for one, needs many seconds to reach its rate
     * on a just-created 1,000-partition topic).
     *
     * @return NaN when the run has fewer than two measured intervals
     */
    static double lateRate(Object runJson, String meter) {
        double[] rates = measuredRates(runJson, meter);
        if (rates.length < 2) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = rates.length / 2; i < rates.length; i++) {
            sum += rates[i];
        }
        return sum / (rates.length - rates.length / 2);
    }

    /** The lowest mean of {@code window} consecutive rates over the median of all of them. */
    static double worstWindowRatio(double[] perSecond, int window) {
        if (perSecond.length < window || window < 1) {
            return Double.NaN;
        }
        double[] sorted = perSecond.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        double median = sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        if (median <= 0) {
            return 0;
        }
        double sum = 0;
        for (int i = 0; i < window; i++) {
            sum += perSecond[i];
        }
        double worst = sum;
        for (int i = window; i < perSecond.length; i++) {
            sum += perSecond[i] - perSecond[i - window];
            worst = Math.min(worst, sum);
        }
        return worst / window / median;
    }
}
