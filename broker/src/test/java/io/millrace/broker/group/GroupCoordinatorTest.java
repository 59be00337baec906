package io.millrace.broker.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.Time;
import io.millrace.protocol.codec.DeleteGroupsCodec;
import io.millrace.protocol.codec.HeartbeatCodec;
import io.millrace.protocol.codec.JoinGroupCodec;
import io.millrace.protocol.codec.LeaveGroupCodec;
import io.millrace.protocol.codec.ListGroupsCodec;
import io.millrace.protocol.codec.OffsetCommitCodec;
import io.millrace.protocol.codec.OffsetFetchCodec;
import io.millrace.protocol.codec.SyncGroupCodec;
import io.millrace.protocol.records.KeyValueRecords;
import io.netty.util.HashedWheelTimer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GroupCoordinatorTest {

    private static final String GROUP = "orders-app";
    private static final short V9 = 9;

    /** An offsets topic in memory: appends succeed at once, replay returns everything appended. */
    static final class MemoryGroupLog implements GroupLog {
        record Stored(long offset, byte[] key, byte[] value) {
        }

        final List<List<Stored>> partitions = new ArrayList<>();
        volatile ErrorCode failWith;

        MemoryGroupLog(int count) {
            IntStream.range(0, count).forEach(i -> partitions.add(new ArrayList<>()));
        }

        @Override
        public synchronized CompletableFuture<Long> append(int partition, List<KeyValueRecords.Entry> entries) {
            if (failWith != null) {
                return CompletableFuture.failedFuture(new io.millrace.protocol.MillraceException(failWith, "injected"));
            }
            List<Stored> log = partitions.get(partition);
            long first = log.size();
            for (KeyValueRecords.Entry entry : entries) {
                log.add(new Stored(log.size(), entry.key(), entry.value()));
            }
            return CompletableFuture.completedFuture(first);
        }

        @Override
        public synchronized void replay(int partition, KeyValueRecords.Visitor visitor) {
            for (Stored s : partitions.get(partition)) {
                visitor.accept(s.offset(), 0L, ByteBuffer.wrap(s.key()), s.value() == null ? null : ByteBuffer.wrap(s.value()));
            }
        }
    }

    /** A clock the test moves; timers still run on the wheel's real clock. */
    static final class ManualTime implements Time {
        volatile long nowMs = 1_000_000L;

        @Override
        public long milliseconds() {
            return nowMs;
        }

        @Override
        public long nanoseconds() {
            return nowMs * 1_000_000L;
        }
    }

    private final ManualTime time = new ManualTime();
    private final HashedWheelTimer timer = new HashedWheelTimer(10, TimeUnit.MILLISECONDS);
    private final MemoryGroupLog groupLog = new MemoryGroupLog(4);
    private final GroupConfig config = new GroupConfig(4, (short) 1, 1 << 20, 0, 10, 60_000, 100,
            7L * 24 * 3600 * 1000, 600_000, 64, 5000);
    private GroupCoordinator coordinator;

    @BeforeEach
    void start() {
        coordinator = startCoordinator();
    }

    private GroupCoordinator startCoordinator() {
        GroupCoordinator started = new GroupCoordinator(config, time, timer, groupLog, new GroupMetrics());
        started.onLeadershipChange(Set.of(0, 1, 2, 3));
        await().atMost(Duration.ofSeconds(10)).until(() -> IntStream.range(0, 4).allMatch(started::isActive));
        return started;
    }

    @AfterEach
    void stop() {
        coordinator.close();
        timer.stop();
    }

    private static JoinGroupCodec.Request join(String memberId, String instanceId, int sessionTimeoutMs, String... protocols) {
        List<JoinGroupCodec.Protocol> offered = new ArrayList<>();
        for (String protocol : protocols) {
            offered.add(new JoinGroupCodec.Protocol(protocol, protocol.getBytes()));
        }
        return new JoinGroupCodec.Request(GROUP, sessionTimeoutMs, 5_000, memberId, instanceId, "consumer", offered, null);
    }

    /** Joins as a new dynamic member: MEMBER_ID_REQUIRED, then the real join. */
    private CompletableFuture<JoinGroupCodec.Response> joinNew(String clientId) {
        JoinGroupCodec.Response first = coordinator.joinGroup(join("", null, 10_000, "range"), V9, clientId, "/127.0.0.1").join();
        assertThat(first.error()).isEqualTo(ErrorCode.MEMBER_ID_REQUIRED);
        assertThat(first.memberId()).startsWith(clientId + "-");
        return coordinator.joinGroup(join(first.memberId(), null, 10_000, "range"), V9, clientId, "/127.0.0.1");
    }

    private SyncGroupCodec.Response sync(JoinGroupCodec.Response joined, List<SyncGroupCodec.Assignment> assignments) {
        return coordinator.syncGroup(new SyncGroupCodec.Request(GROUP, joined.generationId(), joined.memberId(), null,
                "consumer", joined.protocolName(), assignments)).join();
    }

    private HeartbeatCodec.Response heartbeat(String memberId, int generation) {
        return coordinator.heartbeat(new HeartbeatCodec.Request(GROUP, generation, memberId, null));
    }

    @Test
    void closeUnloadsEveryShardAndLaterLeadershipChangesAreIgnored() {
        assertThat(joinNew("a").join().error()).isEqualTo(ErrorCode.NONE);
        coordinator.close();
        assertThat(IntStream.range(0, 4).noneMatch(coordinator::isActive)).isTrue();
        JoinGroupCodec.Response afterClose = coordinator.joinGroup(join("", null, 10_000, "range"), V9, "b", "/127.0.0.1")
                .join();
        assertThat(afterClose.error()).isEqualTo(ErrorCode.NOT_COORDINATOR);

        // A metadata update during shutdown: no shard is registered, and nothing is queued on the stopped loader.
        coordinator.onLeadershipChange(Set.of(0, 1, 2, 3));
        assertThat(coordinator.joinGroup(join("", null, 10_000, "range"), V9, "b", "/127.0.0.1").join().error())
                .isEqualTo(ErrorCode.NOT_COORDINATOR);
    }

    @Test
    void secondMemberTriggersARebalanceThatBothJoin() {
        JoinGroupCodec.Response a1 = joinNew("a").join();
        assertThat(a1.error()).isEqualTo(ErrorCode.NONE);
        assertThat(a1.generationId()).isEqualTo(1);
        assertThat(a1.leader()).isEqualTo(a1.memberId());
        assertThat(a1.members()).hasSize(1);
        assertThat(sync(a1, List.of(new SyncGroupCodec.Assignment(a1.memberId(), new byte[] {1}))).assignment())
                .containsExactly(1);
        assertThat(coordinator.describeGroup(GROUP).state()).isEqualTo("Stable");
        assertThat(coordinator.describeGroup(GROUP).members()).singleElement().satisfies(m -> {
            assertThat(m.clientId()).isEqualTo("a");
            assertThat(m.clientHost()).isEqualTo("/127.0.0.1");
        });

        CompletableFuture<JoinGroupCodec.Response> b = joinNew("b");
        assertThat(b).isNotDone();
        assertThat(heartbeat(a1.memberId(), 1).error()).isEqualTo(ErrorCode.REBALANCE_IN_PROGRESS);
        JoinGroupCodec.Response a2 = coordinator.joinGroup(join(a1.memberId(), null, 10_000, "range"), V9, "a", "/h").join();
        JoinGroupCodec.Response b2 = b.join();
        assertThat(a2.generationId()).isEqualTo(2).isEqualTo(b2.generationId());
        assertThat(a2.members()).hasSize(2);
        assertThat(b2.members()).isEmpty();
        assertThat(b2.leader()).isEqualTo(a1.memberId());

        CompletableFuture<SyncGroupCodec.Response> bSync = CompletableFuture.supplyAsync(() -> sync(b2, List.of()));
        SyncGroupCodec.Response aSync = sync(a2, List.of(new SyncGroupCodec.Assignment(a2.memberId(), new byte[] {1}),
                new SyncGroupCodec.Assignment(b2.memberId(), new byte[] {2})));
        assertThat(aSync.assignment()).containsExactly(1);
        assertThat(bSync.join().assignment()).containsExactly(2);
        assertThat(heartbeat(b2.memberId(), 2).error()).isEqualTo(ErrorCode.NONE);
        assertThat(heartbeat(b2.memberId(), 1).error()).isEqualTo(ErrorCode.ILLEGAL_GENERATION);
        assertThat(heartbeat("ghost", 2).error()).isEqualTo(ErrorCode.UNKNOWN_MEMBER_ID);
    }

    @Test
    void commitsAreCheckedAgainstMemberAndGenerationAndSurviveAReload() {
        JoinGroupCodec.Response a = joinNew("a").join();
        sync(a, List.of(new SyncGroupCodec.Assignment(a.memberId(), new byte[0])));

        assertThat(commit(a.memberId(), a.generationId() + 1, 5)).isEqualTo(ErrorCode.ILLEGAL_GENERATION);
        assertThat(commit("ghost", a.generationId(), 5)).isEqualTo(ErrorCode.UNKNOWN_MEMBER_ID);
        assertThat(commit("", -1, 5)).isEqualTo(ErrorCode.ILLEGAL_GENERATION);
        assertThat(commit(a.memberId(), a.generationId(), 42)).isEqualTo(ErrorCode.NONE);
        assertThat(fetchedOffset()).isEqualTo(42);

        coordinator.close();
        coordinator = startCoordinator();
        assertThat(fetchedOffset()).isEqualTo(42);
        assertThat(coordinator.describeGroup(GROUP).state()).isEqualTo("Stable");
        assertThat(heartbeat(a.memberId(), a.generationId()).error()).isEqualTo(ErrorCode.NONE);
    }

    @Test
    void offsetsOnlyGroupCommitsWithoutJoiningAndCanBeDeleted() {
        assertThat(commit("", -1, 7)).isEqualTo(ErrorCode.NONE);
        assertThat(fetchedOffset()).isEqualTo(7);
        assertThat(coordinator.listGroups(new ListGroupsCodec.Request(List.of("Empty"), List.of())).groups())
                .extracting(ListGroupsCodec.Group::groupId).containsExactly(GROUP);
        assertThat(coordinator.listGroups(new ListGroupsCodec.Request(List.of("Stable"), List.of())).groups()).isEmpty();

        assertThat(coordinator.deleteGroup(GROUP).join()).isEqualTo(new DeleteGroupsCodec.Result(GROUP, ErrorCode.NONE));
        assertThat(fetchedOffset()).isEqualTo(-1);
        coordinator.close();
        coordinator = startCoordinator();
        assertThat(fetchedOffset()).isEqualTo(-1);
        assertThat(coordinator.deleteGroup(GROUP).join().error()).isEqualTo(ErrorCode.GROUP_ID_NOT_FOUND);
    }

    @Test
    void nonEmptyGroupCannotBeDeletedUntilItsMembersLeave() {
        JoinGroupCodec.Response a = joinNew("a").join();
        sync(a, List.of());
        assertThat(coordinator.deleteGroup(GROUP).join().error()).isEqualTo(ErrorCode.NON_EMPTY_GROUP);
        LeaveGroupCodec.Response left = coordinator.leaveGroup(new LeaveGroupCodec.Request(GROUP,
                List.of(new LeaveGroupCodec.Member(a.memberId(), null, "done"), new LeaveGroupCodec.Member("ghost", null, null))));
        assertThat(left.members()).extracting(LeaveGroupCodec.MemberResult::error)
                .containsExactly(ErrorCode.NONE, ErrorCode.UNKNOWN_MEMBER_ID);
        await().atMost(Duration.ofSeconds(10)).until(() -> coordinator.describeGroup(GROUP).state().equals("Empty"));
        assertThat(coordinator.deleteGroup(GROUP).join().error()).isEqualTo(ErrorCode.NONE);
    }

    @Test
    void memberWithoutHeartbeatsIsRemovedAfterItsSessionTimeout() {
        JoinGroupCodec.Response first = coordinator.joinGroup(join("", null, 50, "range"), V9, "a", "/h").join();
        JoinGroupCodec.Response a = coordinator.joinGroup(join(first.memberId(), null, 50, "range"), V9, "a", "/h").join();
        sync(a, List.of());
        await().atMost(Duration.ofSeconds(10)).until(() -> coordinator.describeGroup(GROUP).state().equals("Empty"));
        assertThat(heartbeat(a.memberId(), a.generationId()).error()).isEqualTo(ErrorCode.UNKNOWN_MEMBER_ID);
    }

    @Test
    void staticMemberRestartKeepsItsAssignmentWithoutRebalanceAndFencesTheOldId() {
        JoinGroupCodec.Response leader = coordinator.joinGroup(join("", "leader-1", 10_000, "range"), V9, "l", "/h").join();
        assertThat(leader.error()).isEqualTo(ErrorCode.NONE);
        sync(leader, List.of(new SyncGroupCodec.Assignment(leader.memberId(), new byte[] {1})));
        // A second static member joins; the leader rejoins; both sync.
        CompletableFuture<JoinGroupCodec.Response> f = coordinator.joinGroup(join("", "follower-1", 10_000, "range"), V9, "f", "/h");
        JoinGroupCodec.Response leader2 = coordinator.joinGroup(
                new JoinGroupCodec.Request(GROUP, 10_000, 5_000, leader.memberId(), "leader-1", "consumer",
                        List.of(new JoinGroupCodec.Protocol("range", "range".getBytes())), null), V9, "l", "/h").join();
        JoinGroupCodec.Response follower = f.join();
        CompletableFuture<SyncGroupCodec.Response> fSync = CompletableFuture.supplyAsync(() ->
                coordinator.syncGroup(new SyncGroupCodec.Request(GROUP, follower.generationId(), follower.memberId(),
                        "follower-1", null, null, List.of())).join());
        coordinator.syncGroup(new SyncGroupCodec.Request(GROUP, leader2.generationId(), leader2.memberId(), "leader-1",
                null, null, List.of(new SyncGroupCodec.Assignment(leader2.memberId(), new byte[] {1}),
                new SyncGroupCodec.Assignment(follower.memberId(), new byte[] {2})))).join();
        assertThat(fSync.join().assignment()).containsExactly(2);

        JoinGroupCodec.Response restarted = coordinator.joinGroup(join("", "follower-1", 10_000, "range"), V9, "f", "/h").join();
        assertThat(restarted.error()).isEqualTo(ErrorCode.NONE);
        assertThat(restarted.generationId()).isEqualTo(follower.generationId());
        assertThat(restarted.memberId()).isNotEqualTo(follower.memberId());
        assertThat(coordinator.describeGroup(GROUP).state()).isEqualTo("Stable");
        assertThat(coordinator.heartbeat(new HeartbeatCodec.Request(GROUP, follower.generationId(), follower.memberId(),
                "follower-1")).error()).isEqualTo(ErrorCode.FENCED_INSTANCE_ID);
        SyncGroupCodec.Response again = coordinator.syncGroup(new SyncGroupCodec.Request(GROUP, restarted.generationId(),
                restarted.memberId(), "follower-1", null, null, List.of())).join();
        assertThat(again.assignment()).containsExactly(2);
    }

    @Test
    void failedWriteOfTheAssignmentRestartsTheRebalance() {
        JoinGroupCodec.Response a = joinNew("a").join();
        groupLog.failWith = ErrorCode.NOT_LEADER_OR_FOLLOWER;
        SyncGroupCodec.Response synced = sync(a, List.of(new SyncGroupCodec.Assignment(a.memberId(), new byte[] {1})));
        assertThat(synced.error()).isEqualTo(ErrorCode.NOT_COORDINATOR);
        assertThat(coordinator.describeGroup(GROUP).state()).isEqualTo("PreparingRebalance");
    }

    @Test
    void groupsOfAPartitionThisNodeNoLongerLeadsAnswerNotCoordinator() {
        int partition = config.partitionFor(GROUP);
        coordinator.onLeadershipChange(Set.of());
        assertThat(coordinator.heartbeat(new HeartbeatCodec.Request(GROUP, 1, "m", null)).error())
                .isEqualTo(ErrorCode.NOT_COORDINATOR);
        assertThat(coordinator.isActive(partition)).isFalse();
    }

    @Test
    void offsetsExpireOnceTheRetentionHasPassedSinceTheCommitOrSinceTheGroupEmptied() {
        long retention = config.offsetsRetentionMs();
        assertThat(commit("", -1, 7)).isEqualTo(ErrorCode.NONE);
        time.nowMs += retention - 1;
        coordinator.expireOffsets();
        assertThat(fetchedOffset()).isEqualTo(7);
        time.nowMs += 1;
        coordinator.expireOffsets();
        assertThat(fetchedOffset()).isEqualTo(-1);
        assertThat(coordinator.listGroups(new ListGroupsCodec.Request(List.of(), List.of())).groups()).isEmpty();

        // A group that had members: the clock starts when it became empty, not at the commit.
        JoinGroupCodec.Response a = joinNew("a").join();
        sync(a, List.of());
        assertThat(commit(a.memberId(), a.generationId(), 9)).isEqualTo(ErrorCode.NONE);
        time.nowMs += retention;
        coordinator.leaveGroup(new LeaveGroupCodec.Request(GROUP, List.of(new LeaveGroupCodec.Member(a.memberId(), null, null))));
        await().atMost(Duration.ofSeconds(10)).until(() -> coordinator.describeGroup(GROUP).state().equals("Empty"));
        coordinator.expireOffsets();
        assertThat(fetchedOffset()).isEqualTo(9);
        time.nowMs += retention;
        coordinator.expireOffsets();
        assertThat(fetchedOffset()).isEqualTo(-1);
    }

    @Test
    void offsetsOfADeletedTopicAreRemoved() {
        assertThat(commit("", -1, 7)).isEqualTo(ErrorCode.NONE);
        coordinator.onTopicsDeleted(Set.of("other"));
        coordinator.onTopicsDeleted(Set.of("orders"));
        await().atMost(Duration.ofSeconds(10)).until(() -> fetchedOffset() == -1);
        assertThat(groupLog.partitions.get(config.partitionFor(GROUP))).hasSize(2);
        coordinator.close();
        coordinator = startCoordinator();
        assertThat(fetchedOffset()).isEqualTo(-1);
    }

    private ErrorCode commit(String memberId, int generation, long offset) {
        OffsetCommitCodec.Response response = coordinator.commitOffsets(new OffsetCommitCodec.Request(GROUP, generation,
                memberId, null, -1, List.of(new OffsetCommitCodec.TopicRequest("orders", null,
                List.of(new OffsetCommitCodec.PartitionRequest(0, offset, 3, "meta"))))), topic -> true).join();
        return response.topics().get(0).partitions().get(0).error();
    }

    private long fetchedOffset() {
        OffsetFetchCodec.GroupResult result = coordinator.fetchOffsets(new OffsetFetchCodec.GroupRequest(GROUP, null, -1,
                List.of(new OffsetFetchCodec.TopicRequest("orders", null, List.of(0)))));
        assertThat(result.error()).isEqualTo(ErrorCode.NONE);
        return result.topics().get(0).partitions().get(0).offset();
    }
}
