package io.millrace.storage;

/**
 * When an appended batch counts as durable.
 *
 * <ul>
 *   <li>{@link #DURABLE}: a group-commit thread fsyncs every dirty log once per round;
 *       {@link PartitionLog#awaitDurable(long)} completes only after an fsync covering the
 *       offset. This is Millrace's default (DESIGN.md decision 7).</li>
 *   <li>{@link #RELAXED}: Kafka's behaviour. Writes are acknowledged from the page cache and a
 *       background task flushes every {@code flushIntervalMs}; {@code awaitDurable} completes at
 *       once.</li>
 * </ul>
 */
public enum FlushPolicy {
    DURABLE,
    RELAXED
}
