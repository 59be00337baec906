package io.millrace.storage;

/**
 * The outcome of {@link PartitionLog#appendAsLeader}: where the records landed.
 *
 * @param firstOffset     offset of the first record appended
 * @param lastOffset      offset of the last record appended
 * @param logAppendTimeMs the broker time stamped into the batches, or -1 under CreateTime
 * @param logStartOffset  the log start offset after the append
 * @param recordCount     records appended (sum of the batches' record counts)
 * @param duplicate       true when an idempotent retry was recognised: nothing was written and the
 *                        offsets are those of the original append
 */
public record AppendInfo(long firstOffset, long lastOffset, long logAppendTimeMs, long logStartOffset,
                         int recordCount, boolean duplicate) {
}
