package io.millrace.broker.group;

import io.millrace.broker.purgatory.DelayedOperation;
import io.millrace.broker.purgatory.Purgatory;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.Time;
import io.millrace.protocol.codec.JoinGroupCodec;
import io.millrace.protocol.codec.SyncGroupCodec;
import io.millrace.protocol.records.KeyValueRecords;
import io.netty.util.Timer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rebalance state machine of classic groups and its timers: preparing a rebalance, the join
 * purgatory and the initial join delay, ending the join phase, the pending-sync check, storing the
 * leader's assignment, member session expiry and pending-member expiry. {@link GroupMembership}
 * drives it from member requests, {@link GroupShards} when a shard is loaded or unloaded.
 *
 * <p>Thread-safety: every method that takes a group must be called holding that group's monitor,
 * except {@link #expirePending}, which a timer calls and which takes the monitor itself, as do the
 * timer, purgatory and write-completion callbacks. The join purgatory is thread-safe.
 */
final class GroupRebalancer {

    // Logs under the coordinator's name: operators follow group coordination through that one logger.
    private static final Logger log = LoggerFactory.getLogger(GroupCoordinator.class);

    private final GroupConfig config;
    private final Time time;
    private final Timer timer;
    private final GroupLog groupLog;
    private final Purgatory<String> joinPurgatory;
    private final GroupMetrics metrics;

    GroupRebalancer(GroupConfig config, Time time, Timer timer, GroupLog groupLog, GroupMetrics metrics) {
        this.config = config;
        this.time = time;
        this.timer = timer;
        this.groupLog = groupLog;
        this.metrics = metrics;
        this.joinPurgatory = new Purgatory<>(timer);
    }

    /** Lets the join waiting on {@code groupId} complete, if every member has now joined or the group moved on. */
    void maybeCompleteJoin(String groupId) {
        joinPurgatory.checkAndComplete(groupId);
    }

    void prepareRebalance(ClassicGroup group, String reason) {
        if (group.is(GroupState.COMPLETING_REBALANCE)) {
            for (GroupMember member : group.members()) {
                member.assignment(new byte[0]);
                failSync(member, ErrorCode.REBALANCE_IN_PROGRESS);
            }
        }
        cancelRebalanceTimer(group);
        boolean initial = group.is(GroupState.EMPTY);
        group.transitionTo(GroupState.PREPARING_REBALANCE, time.milliseconds());
        metrics.rebalances.incrementAndGet();
        log.info("Preparing to rebalance group {} in generation {} ({})", group.groupId(), group.generationId(), reason);
        int rebalanceTimeout = group.rebalanceTimeoutMs();
        if (initial && config.initialRebalanceDelayMs() > 0) {
            group.newMemberAdded = false;
            int delay = Math.min(config.initialRebalanceDelayMs(), rebalanceTimeout);
            scheduleInitialJoin(group, delay, rebalanceTimeout - delay);
        } else {
            joinPurgatory.tryCompleteElseWatch(new DelayedJoin(group), List.of(group.groupId()), rebalanceTimeout);
        }
    }

    /**
     * {@code group.initial.rebalance.delay.ms}: the first rebalance of an empty group waits, and waits
     * again while new members keep arriving, up to the rebalance timeout, so a starting application
     * does not rebalance once per instance.
     */
    private void scheduleInitialJoin(ClassicGroup group, int delayMs, int remainingMs) {
        int generation = group.generationId();
        group.rebalanceTimer = timer.newTimeout(t -> {
            synchronized (group) {
                if (!group.is(GroupState.PREPARING_REBALANCE) || group.generationId() != generation
                        || group.rebalanceTimer != t) {
                    return;
                }
                group.rebalanceTimer = null;
                if (group.newMemberAdded && remainingMs > 0) {
                    group.newMemberAdded = false;
                    int next = Math.min(config.initialRebalanceDelayMs(), remainingMs);
                    scheduleInitialJoin(group, next, remainingMs - next);
                    return;
                }
                completeJoin(group);
            }
        }, delayMs, TimeUnit.MILLISECONDS);
    }

    /** Waits for every member to rejoin, or for the rebalance timeout. */
    private final class DelayedJoin extends DelayedOperation {
        private final ClassicGroup group;

        DelayedJoin(ClassicGroup group) {
            this.group = group;
        }

        @Override
        public boolean tryComplete() {
            synchronized (group) {
                if (!group.is(GroupState.PREPARING_REBALANCE) || group.rebalanceTimer != null || group.allMembersJoined()) {
                    return forceComplete();
                }
                return false;
            }
        }

        @Override
        protected void onComplete() {
            synchronized (group) {
                if (group.is(GroupState.PREPARING_REBALANCE) && group.rebalanceTimer == null) {
                    completeJoin(group);
                }
            }
        }
    }

    /** Ends the join phase: members that did not rejoin are dropped, the next generation starts. */
    private void completeJoin(ClassicGroup group) {
        for (GroupMember member : List.copyOf(group.members())) {
            if (!member.isAwaitingJoin()) {
                log.info("Removing member {} from group {}: it did not rejoin in time", member.memberId(), group.groupId());
                cancelSessionExpiry(member);
                group.remove(member);
            }
        }
        group.clearPending();
        group.initNextGeneration(time.milliseconds());
        if (group.is(GroupState.EMPTY)) {
            log.info("Group {} is empty in generation {}", group.groupId(), group.generationId());
            persistGroup(group);
            return;
        }
        log.info("Group {} entered generation {} with {} member(s), protocol {}", group.groupId(),
                group.generationId(), group.members().size(), group.protocolName());
        for (GroupMember member : group.members()) {
            CompletableFuture<JoinGroupCodec.Response> waiting = member.awaitingJoin;
            member.awaitingJoin = null;
            scheduleSessionExpiry(group, member);
            waiting.complete(joinResponse(group, member, member.joinVersion, false));
        }
        schedulePendingSyncCheck(group);
    }

    JoinGroupCodec.Response joinResponse(ClassicGroup group, GroupMember member, short version,
                                         boolean skipAssignment) {
        boolean leader = group.isLeader(member.memberId());
        List<JoinGroupCodec.Member> members = new ArrayList<>();
        if (leader) {
            for (GroupMember m : group.members()) {
                members.add(new JoinGroupCodec.Member(m.memberId(), m.groupInstanceId(), m.metadata(group.protocolName())));
            }
        }
        return new JoinGroupCodec.Response(ErrorCode.NONE, group.generationId(), group.protocolType(),
                group.protocolName(), group.leaderId(), skipAssignment, member.memberId(), members);
    }

    /** Members that joined but never sync within the rebalance timeout are removed, so the group moves on. */
    private void schedulePendingSyncCheck(ClassicGroup group) {
        int generation = group.generationId();
        group.rebalanceTimer = timer.newTimeout(t -> {
            synchronized (group) {
                if (group.rebalanceTimer != t) {
                    return;
                }
                group.rebalanceTimer = null;
                if (group.generationId() != generation || !group.is(GroupState.COMPLETING_REBALANCE)) {
                    return;
                }
                List<GroupMember> notSynced = group.members().stream().filter(m -> m.awaitingSync == null).toList();
                for (GroupMember member : notSynced) {
                    log.info("Removing member {} from group {}: it did not sync in time", member.memberId(), group.groupId());
                    cancelSessionExpiry(member);
                    group.remove(member);
                }
                if (!notSynced.isEmpty()) {
                    prepareRebalance(group, "members did not sync in time");
                }
            }
        }, Math.max(1, group.rebalanceTimeoutMs()), TimeUnit.MILLISECONDS);
    }

    void cancelRebalanceTimer(ClassicGroup group) {
        if (group.rebalanceTimer != null) {
            group.rebalanceTimer.cancel();
            group.rebalanceTimer = null;
        }
    }

    static SyncGroupCodec.Response syncFailed(ErrorCode error) {
        return new SyncGroupCodec.Response(error, null, null, new byte[0]);
    }

    /** The leader's assignment: persisted with the group, then handed to every member. */
    void completeAssignment(ClassicGroup group, List<SyncGroupCodec.Assignment> assignments) {
        Map<String, byte[]> byMember = new HashMap<>();
        for (SyncGroupCodec.Assignment a : assignments) {
            byMember.put(a.memberId(), a.assignment());
        }
        for (GroupMember member : group.members()) {
            member.assignment(byMember.get(member.memberId()));
        }
        int generation = group.generationId();
        persistGroup(group).whenComplete((offset, failure) -> {
            synchronized (group) {
                if (!group.is(GroupState.COMPLETING_REBALANCE) || group.generationId() != generation) {
                    return;
                }
                if (failure != null) {
                    ErrorCode error = GroupOffsets.coordinatorError(failure);
                    for (GroupMember member : group.members()) {
                        member.assignment(new byte[0]);
                        failSync(member, error);
                    }
                    prepareRebalance(group, "storing the assignment failed: " + error);
                    return;
                }
                cancelRebalanceTimer(group);
                group.transitionTo(GroupState.STABLE, time.milliseconds());
                for (GroupMember member : group.members()) {
                    CompletableFuture<SyncGroupCodec.Response> waiting = member.awaitingSync;
                    member.awaitingSync = null;
                    if (waiting != null) {
                        waiting.complete(new SyncGroupCodec.Response(ErrorCode.NONE, group.protocolType(),
                                group.protocolName(), member.assignment()));
                    }
                }
                log.info("Group {} is stable in generation {}", group.groupId(), generation);
            }
        });
    }

    void removeMemberAndUpdateGroup(ClassicGroup group, GroupMember member) {
        cancelSessionExpiry(member);
        failJoin(member, ErrorCode.UNKNOWN_MEMBER_ID);
        failSync(member, ErrorCode.UNKNOWN_MEMBER_ID);
        group.remove(member);
        switch (group.state()) {
            case STABLE, COMPLETING_REBALANCE -> prepareRebalance(group, "member " + member.memberId() + " left");
            case PREPARING_REBALANCE -> joinPurgatory.checkAndComplete(group.groupId());
            case EMPTY, DEAD -> {
            }
        }
    }

    // ---------------------------------------------------------------- sessions

    void scheduleSessionExpiry(ClassicGroup group, GroupMember member) {
        cancelSessionExpiry(member);
        String memberId = member.memberId();
        member.sessionExpiry = timer.newTimeout(t -> {
            synchronized (group) {
                GroupMember current = group.member(memberId).orElse(null);
                if (current != member || member.sessionExpiry != t || group.is(GroupState.DEAD)) {
                    return;
                }
                if (member.isAwaitingJoin()) {
                    // A member waiting in a rebalance is alive; the rebalance timeout governs it.
                    scheduleSessionExpiry(group, member);
                    return;
                }
                log.info("Member {} in group {} has failed: no heartbeat for {} ms", memberId, group.groupId(),
                        member.sessionTimeoutMs());
                removeMemberAndUpdateGroup(group, member);
            }
        }, member.sessionTimeoutMs(), TimeUnit.MILLISECONDS);
    }

    static void cancelSessionExpiry(GroupMember member) {
        if (member.sessionExpiry != null) {
            member.sessionExpiry.cancel();
            member.sessionExpiry = null;
        }
    }

    void expirePending(ClassicGroup group, String memberId) {
        synchronized (group) {
            if (group.removePending(memberId)) {
                log.info("Pending member {} of group {} did not rejoin in time", memberId, group.groupId());
                if (group.is(GroupState.PREPARING_REBALANCE)) {
                    joinPurgatory.checkAndComplete(group.groupId());
                }
            }
        }
    }

    static void failJoin(GroupMember member, ErrorCode error) {
        CompletableFuture<JoinGroupCodec.Response> waiting = member.awaitingJoin;
        member.awaitingJoin = null;
        if (waiting != null) {
            waiting.complete(JoinGroupCodec.Response.failed(error, member.memberId()));
        }
    }

    static void failSync(GroupMember member, ErrorCode error) {
        CompletableFuture<SyncGroupCodec.Response> waiting = member.awaitingSync;
        member.awaitingSync = null;
        if (waiting != null) {
            waiting.complete(syncFailed(error));
        }
    }

    CompletableFuture<Long> persistGroup(ClassicGroup group) {
        return groupLog.append(config.partitionFor(group.groupId()), List.of(new KeyValueRecords.Entry(
                GroupRecords.groupKey(group.groupId()), GroupRecords.groupValue(group.toValue()))));
    }
}
