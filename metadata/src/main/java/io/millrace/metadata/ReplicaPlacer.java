package io.millrace.metadata;

import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.MillraceException;
import java.util.ArrayList;
import java.util.List;

/**
 * Places replicas round-robin over the unfenced brokers, rack-unaware: partition p's first
 * replica is broker {@code (start + p) mod n}, and its followers follow it at a distance that
 * grows by one every n partitions, so leaders and followers both spread evenly. {@code start}
 * and {@code shift} are chosen at random by the proposer and carried in the command, which keeps
 * placement deterministic when the command is applied.
 *
 * <p>Thread-safety: stateless.
 */
final class ReplicaPlacer {
    private ReplicaPlacer() {
    }

    /**
     * Replicas for partitions {@code firstPartition .. firstPartition + count - 1}.
     *
     * @param unfenced the ids of the brokers that may hold replicas, sorted
     * @throws MillraceException INVALID_REPLICATION_FACTOR when there are fewer brokers than replicas
     */
    static List<List<Integer>> place(List<Integer> unfenced, int firstPartition, int count,
                                     int replicationFactor, int start, int shift) {
        int n = unfenced.size();
        if (replicationFactor > n) {
            throw new MillraceException(ErrorCode.INVALID_REPLICATION_FACTOR, "Unable to replicate the partition "
                    + replicationFactor + " time(s): The target replication factor of " + replicationFactor
                    + " cannot be reached because only " + n + " broker(s) are registered.");
        }
        int startIndex = Math.floorMod(start, n);
        int baseShift = Math.floorMod(shift, n);
        List<List<Integer>> placements = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int p = firstPartition + i;
            int first = (startIndex + p) % n;
            int followerShift = baseShift + p / n;
            List<Integer> replicas = new ArrayList<>(replicationFactor);
            replicas.add(unfenced.get(first));
            for (int j = 0; j < replicationFactor - 1; j++) {
                int offset = 1 + (followerShift + j) % (n - 1);
                replicas.add(unfenced.get((first + offset) % n));
            }
            placements.add(List.copyOf(replicas));
        }
        return placements;
    }
}
