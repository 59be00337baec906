package io.millrace.storage;

import java.io.IOException;
import java.util.Collection;
import java.util.Optional;

/**
 * ListOffsets by timestamp over a partition's segments, as Kafka's
 * {@code UnifiedLog.fetchOffsetByTimestamp}: pick the first segment whose largest timestamp
 * reaches the target, then search it with its time index and a scan. Stateless; runs on request
 * threads without locks, like reads.
 */
final class TimestampLookup {
    private TimestampLookup() {
    }

    static Optional<TimestampOffset> firstAtOrAfter(Collection<LogSegment> segments, long timestampMs, long logStart)
            throws IOException {
        for (LogSegment segment : segments) {
            TimestampOffset max = segment.maxTimestampAndOffset();
            if (max != null && max.timestampMs() >= timestampMs) {
                TimestampOffset found = segment.findOffsetByTimestamp(timestampMs, logStart);
                if (found != null) {
                    return Optional.of(found);
                }
            }
        }
        return Optional.empty();
    }

    static Optional<TimestampOffset> maxTimestamp(Collection<LogSegment> segments, long logStart) throws IOException {
        LogSegment best = null;
        TimestampOffset bestMax = null;
        for (LogSegment segment : segments) {
            TimestampOffset max = segment.maxTimestampAndOffset();
            if (max != null && (bestMax == null || max.timestampMs() > bestMax.timestampMs())) {
                best = segment;
                bestMax = max;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(best.findOffsetByTimestamp(bestMax.timestampMs(), logStart));
    }
}
