package io.millrace.broker.group;

import java.util.concurrent.atomic.AtomicLong;

/** Counters the coordinator keeps for {@code /metrics}; the broker exposes them with group gauges. */
public final class GroupMetrics {

    /** Rebalances started (a group entering PreparingRebalance). */
    final AtomicLong rebalances = new AtomicLong();
    /** Offsets committed (one per partition). */
    final AtomicLong offsetCommits = new AtomicLong();

    public long rebalances() {
        return rebalances.get();
    }

    public long offsetCommits() {
        return offsetCommits.get();
    }
}
