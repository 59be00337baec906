package io.millrace.broker.replica;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicaStateTest {

    @Test
    void leaderMayMoveToHigherEpochOrFollowerOrOffline() {
        ReplicaState leader = new ReplicaState.Leader(3, List.of(1));
        assertThatCode(() -> ReplicaState.checkTransition(leader, new ReplicaState.Leader(4, List.of(1))))
                .doesNotThrowAnyException();
        assertThatCode(() -> ReplicaState.checkTransition(leader, new ReplicaState.Follower(4, 2)))
                .doesNotThrowAnyException();
        assertThatCode(() -> ReplicaState.checkTransition(leader, new ReplicaState.Offline()))
                .doesNotThrowAnyException();
    }

    @Test
    void leaderEpochNeverGoesBackwards() {
        assertThatThrownBy(() -> ReplicaState.checkTransition(new ReplicaState.Leader(5, List.of(1)),
                new ReplicaState.Follower(4, 2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Leader[leaderEpoch=5")
                .hasMessageContaining("Follower[leaderEpoch=4");
    }

    @Test
    void offlineMayBecomeAnything() {
        assertThatCode(() -> ReplicaState.checkTransition(new ReplicaState.Offline(), new ReplicaState.Leader(0, List.of(1))))
                .doesNotThrowAnyException();
    }
}
