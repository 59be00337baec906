package io.millrace.metadata;

import java.util.List;

/**
 * One partition's replication state. Immutable, so safe to share between threads.
 *
 * @param partition the partition id
 * @param replicas the assigned replicas; the first is the preferred leader
 * @param isr the in-sync replicas
 * @param leader the leader's broker id, or -1 when the partition has none
 * @param leaderEpoch grows by one each time the leader changes
 * @param partitionEpoch grows by one each time anything about the partition changes
 */
public record PartitionInfo(int partition, List<Integer> replicas, List<Integer> isr, int leader,
                            int leaderEpoch, int partitionEpoch) {
    /** The leader value of a partition that has no leader. */
    public static final int NO_LEADER = -1;

    public PartitionInfo {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
    }
}
