package io.millrace.broker.replica;

import java.util.List;

/**
 * The role this node plays for one partition. Transitions, driven by the metadata image:
 *
 * <pre>
 *   from \ to   Offline  Leader  Follower
 *   Offline        -       yes     yes
 *   Leader        yes      yes*    yes
 *   Follower      yes      yes     yes*
 * </pre>
 * (*) only to a higher leader epoch, or the same epoch with a new ISR. Leader epochs never go
 * backwards; {@link #checkTransition(ReplicaState, ReplicaState)} throws on an illegal one.
 */
public sealed interface ReplicaState {

    /** This node leads the partition in {@code leaderEpoch}; {@code isr} is the in-sync replica set. */
    record Leader(int leaderEpoch, List<Integer> isr) implements ReplicaState {
        public Leader {
            isr = List.copyOf(isr);
        }
    }

    /** Another node leads; this node replicates from it. */
    record Follower(int leaderEpoch, int leaderId) implements ReplicaState {
    }

    /** This node does not serve the partition (not a replica, topic deleted, or not yet loaded). */
    record Offline() implements ReplicaState {
    }

    static void checkTransition(ReplicaState from, ReplicaState to) {
        int fromEpoch = epochOf(from);
        int toEpoch = epochOf(to);
        if (!(to instanceof Offline) && toEpoch < fromEpoch) {
            throw new IllegalStateException("illegal transition from " + from + " to " + to
                    + ": leader epoch would go back from " + fromEpoch + " to " + toEpoch);
        }
    }

    private static int epochOf(ReplicaState state) {
        if (state instanceof Leader leader) {
            return leader.leaderEpoch();
        }
        if (state instanceof Follower follower) {
            return follower.leaderEpoch();
        }
        return -1;
    }
}
