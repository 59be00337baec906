package io.millrace.protocol;

/**
 * The clock every component takes as a parameter, so that logic driven by time can run under a
 * simulated clock in tests. {@link #SYSTEM} is the only place that reads the real clock.
 */
public interface Time {
    long milliseconds();

    long nanoseconds();

    Time SYSTEM = new Time() {
        @Override
        public long milliseconds() {
            return System.currentTimeMillis();
        }

        @Override
        public long nanoseconds() {
            return System.nanoTime();
        }
    };
}
