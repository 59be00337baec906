package io.millrace.broker.group;

import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.MillraceException;
import io.millrace.protocol.Time;
import io.millrace.protocol.codec.HeartbeatCodec;
import io.millrace.protocol.codec.JoinGroupCodec;
import io.millrace.protocol.codec.LeaveGroupCodec;
import io.millrace.protocol.codec.SyncGroupCodec;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The member-facing side of classic groups: JoinGroup (new, known, pending and static members),
 * SyncGroup, Heartbeat and LeaveGroup. It validates a request against the group and hands state
 * changes to {@link GroupRebalancer}, which owns the rebalance state machine and its timers.
 *
 * <p>Thread-safety: each request looks its group up in the shard without a lock, then works on it
 * holding that group's monitor; a call locks one group at a time.
 */
final class GroupMembership {

    // Logs under the coordinator's name: operators follow group coordination through that one logger.
    private static final Logger log = LoggerFactory.getLogger(GroupCoordinator.class);

    private final GroupConfig config;
    private final Time time;
    private final Timer timer;
    private final GroupShards shards;
    private final GroupRebalancer rebalancer;

    GroupMembership(GroupConfig config, Time time, Timer timer, GroupShards shards, GroupRebalancer rebalancer) {
        this.config = config;
        this.time = time;
        this.timer = timer;
        this.shards = shards;
        this.rebalancer = rebalancer;
    }

    // ---------------------------------------------------------------- JoinGroup

    CompletableFuture<JoinGroupCodec.Response> joinGroup(JoinGroupCodec.Request request, short version,
                                                         String clientId, String clientHost) {
        if (request.rebalanceTimeoutMs() <= 0) {
            // A client that leaves the rebalance timeout unset sends -1: the session timeout stands in, as in Kafka.
            request = new JoinGroupCodec.Request(request.groupId(), request.sessionTimeoutMs(), request.sessionTimeoutMs(),
                    request.memberId(), request.groupInstanceId(), request.protocolType(), request.protocols(),
                    request.reason());
        }
        CompletableFuture<JoinGroupCodec.Response> response = new CompletableFuture<>();
        String memberId = request.memberId() == null ? "" : request.memberId();
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return completedJoin(ErrorCode.INVALID_GROUP_ID, memberId);
        }
        if (request.sessionTimeoutMs() < config.minSessionTimeoutMs()
                || request.sessionTimeoutMs() > config.maxSessionTimeoutMs()) {
            return completedJoin(ErrorCode.INVALID_SESSION_TIMEOUT, memberId);
        }
        CoordinatorShard shard;
        try {
            shard = shards.shardOf(request.groupId());
        } catch (MillraceException e) {
            return completedJoin(e.code(), memberId);
        }
        ClassicGroup group;
        if (memberId.isEmpty()) {
            group = shard.groups.computeIfAbsent(request.groupId(), id -> new ClassicGroup(id, time.milliseconds()));
        } else {
            group = shard.groups.get(request.groupId());
            if (group == null) {
                return completedJoin(ErrorCode.UNKNOWN_MEMBER_ID, memberId);
            }
        }
        synchronized (group) {
            if (group.is(GroupState.DEAD)) {
                // The group was deleted or unloaded while this request was on its way; the client retries.
                return completedJoin(ErrorCode.COORDINATOR_NOT_AVAILABLE, memberId);
            }
            if (!group.supports(request.protocolType(), request.protocols())) {
                return completedJoin(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, memberId);
            }
            if (memberId.isEmpty()) {
                joinUnknownMember(group, request, version, clientId, clientHost, response);
            } else {
                joinKnownMember(group, request, version, clientId, clientHost, response);
            }
        }
        return response;
    }

    private static CompletableFuture<JoinGroupCodec.Response> completedJoin(ErrorCode error, String memberId) {
        return CompletableFuture.completedFuture(JoinGroupCodec.Response.failed(error, memberId));
    }

    private void joinUnknownMember(ClassicGroup group, JoinGroupCodec.Request request, short version, String clientId,
                                   String clientHost, CompletableFuture<JoinGroupCodec.Response> response) {
        String instanceId = request.groupInstanceId();
        String newMemberId = (instanceId != null ? instanceId : clientId) + "-" + UUID.randomUUID();
        if (instanceId != null) {
            var existing = group.staticMemberId(instanceId).flatMap(group::member);
            if (existing.isPresent()) {
                rejoinStaticMember(group, existing.get(), newMemberId, request, version, response);
                return;
            }
        }
        if (group.size() >= config.maxSize()) {
            response.complete(JoinGroupCodec.Response.failed(ErrorCode.GROUP_MAX_SIZE_REACHED, ""));
            return;
        }
        if (instanceId == null && version >= 4) {
            // KIP-394: hand out the member id first, so a client that times out and retries cannot leave ghosts.
            Timeout expiry = timer.newTimeout(t -> rebalancer.expirePending(group, newMemberId), request.sessionTimeoutMs(),
                    TimeUnit.MILLISECONDS);
            group.addPending(newMemberId, expiry);
            response.complete(JoinGroupCodec.Response.failed(ErrorCode.MEMBER_ID_REQUIRED, newMemberId));
            return;
        }
        addMemberAndRebalance(group, newMemberId, request, version, clientId, clientHost, response);
    }

    private void joinKnownMember(ClassicGroup group, JoinGroupCodec.Request request, short version, String clientId,
                                 String clientHost, CompletableFuture<JoinGroupCodec.Response> response) {
        String memberId = request.memberId();
        if (group.isPending(memberId)) {
            addMemberAndRebalance(group, memberId, request, version, clientId, clientHost, response);
            return;
        }
        ErrorCode invalid = validateMember(group, memberId, request.groupInstanceId());
        if (invalid != ErrorCode.NONE) {
            response.complete(JoinGroupCodec.Response.failed(invalid, memberId));
            return;
        }
        GroupMember member = group.member(memberId).orElseThrow();
        switch (group.state()) {
            case PREPARING_REBALANCE -> updateMemberAndRebalance(group, member, request, version, response);
            case COMPLETING_REBALANCE -> {
                if (member.matches(request.protocols())) {
                    // The member missed the join response: send it again.
                    response.complete(rebalancer.joinResponse(group, member, version, false));
                } else {
                    updateMemberAndRebalance(group, member, request, version, response);
                }
            }
            case STABLE -> {
                if (group.isLeader(memberId) || !member.matches(request.protocols())) {
                    updateMemberAndRebalance(group, member, request, version, response);
                } else {
                    response.complete(rebalancer.joinResponse(group, member, version, false));
                }
            }
            case EMPTY, DEAD -> response.complete(JoinGroupCodec.Response.failed(ErrorCode.UNKNOWN_MEMBER_ID, memberId));
        }
    }

    /** A static member restarted with a new member id: fence the old id and keep the assignment if nothing changed. */
    private void rejoinStaticMember(ClassicGroup group, GroupMember member, String newMemberId,
                                    JoinGroupCodec.Request request, short version,
                                    CompletableFuture<JoinGroupCodec.Response> response) {
        GroupRebalancer.failJoin(member, ErrorCode.FENCED_INSTANCE_ID);
        GroupRebalancer.failSync(member, ErrorCode.FENCED_INSTANCE_ID);
        group.replaceStaticMember(member, newMemberId);
        boolean leader = group.isLeader(newMemberId);
        boolean unchanged = member.matches(request.protocols());
        member.update(request.rebalanceTimeoutMs(), request.sessionTimeoutMs(), request.protocols());
        member.joinVersion = version;
        if (group.is(GroupState.STABLE) && unchanged && (!leader || version >= 9)) {
            rebalancer.scheduleSessionExpiry(group, member);
            int generation = group.generationId();
            rebalancer.persistGroup(group).whenComplete((offset, failure) -> {
                synchronized (group) {
                    if (failure != null) {
                        response.complete(JoinGroupCodec.Response.failed(GroupOffsets.coordinatorError(failure), newMemberId));
                    } else {
                        response.complete(rebalancer.joinResponse(group, member, version,
                                leader && generation == group.generationId()));
                    }
                }
            });
            return;
        }
        member.awaitingJoin = response;
        if (group.is(GroupState.PREPARING_REBALANCE)) {
            rebalancer.maybeCompleteJoin(group.groupId());
        } else {
            rebalancer.prepareRebalance(group, "static member " + member.groupInstanceId() + " rejoined with new metadata");
        }
    }

    private void addMemberAndRebalance(ClassicGroup group, String memberId, JoinGroupCodec.Request request,
                                       short version, String clientId, String clientHost,
                                       CompletableFuture<JoinGroupCodec.Response> response) {
        GroupMember member = new GroupMember(memberId, request.groupInstanceId(), clientId, clientHost,
                request.rebalanceTimeoutMs(), request.sessionTimeoutMs(), request.protocolType(), request.protocols());
        member.joinVersion = version;
        member.awaitingJoin = response;
        group.add(member);
        if (group.is(GroupState.PREPARING_REBALANCE) && group.rebalanceTimer != null) {
            group.newMemberAdded = true;
        }
        maybePrepareRebalanceOrComplete(group, "member " + memberId + " joined");
    }

    private void updateMemberAndRebalance(ClassicGroup group, GroupMember member, JoinGroupCodec.Request request,
                                          short version, CompletableFuture<JoinGroupCodec.Response> response) {
        GroupRebalancer.failJoin(member, ErrorCode.UNKNOWN_MEMBER_ID);
        member.update(request.rebalanceTimeoutMs(), request.sessionTimeoutMs(), request.protocols());
        member.joinVersion = version;
        member.awaitingJoin = response;
        maybePrepareRebalanceOrComplete(group, "member " + member.memberId() + " rejoined");
    }

    private void maybePrepareRebalanceOrComplete(ClassicGroup group, String reason) {
        switch (group.state()) {
            case STABLE, COMPLETING_REBALANCE, EMPTY -> rebalancer.prepareRebalance(group, reason);
            case PREPARING_REBALANCE -> rebalancer.maybeCompleteJoin(group.groupId());
            case DEAD -> {
            }
        }
    }

    // ---------------------------------------------------------------- SyncGroup

    CompletableFuture<SyncGroupCodec.Response> syncGroup(SyncGroupCodec.Request request) {
        ClassicGroup group;
        try {
            group = shards.shardOf(request.groupId()).groups.get(request.groupId());
        } catch (MillraceException e) {
            return completedSync(e.code());
        }
        if (group == null) {
            return completedSync(ErrorCode.UNKNOWN_MEMBER_ID);
        }
        CompletableFuture<SyncGroupCodec.Response> response = new CompletableFuture<>();
        synchronized (group) {
            if (group.is(GroupState.DEAD)) {
                return completedSync(ErrorCode.COORDINATOR_NOT_AVAILABLE);
            }
            ErrorCode invalid = validateMember(group, request.memberId(), request.groupInstanceId());
            if (invalid == ErrorCode.NONE && request.generationId() != group.generationId()) {
                invalid = ErrorCode.ILLEGAL_GENERATION;
            }
            if (invalid == ErrorCode.NONE && ((request.protocolType() != null && !request.protocolType().equals(group.protocolType()))
                    || (request.protocolName() != null && !request.protocolName().equals(group.protocolName())))) {
                invalid = ErrorCode.INCONSISTENT_GROUP_PROTOCOL;
            }
            if (invalid != ErrorCode.NONE) {
                return completedSync(invalid);
            }
            GroupMember member = group.member(request.memberId()).orElseThrow();
            switch (group.state()) {
                case PREPARING_REBALANCE -> response.complete(GroupRebalancer.syncFailed(ErrorCode.REBALANCE_IN_PROGRESS));
                case STABLE -> {
                    rebalancer.scheduleSessionExpiry(group, member);
                    response.complete(new SyncGroupCodec.Response(ErrorCode.NONE, group.protocolType(),
                            group.protocolName(), member.assignment()));
                }
                case COMPLETING_REBALANCE -> {
                    GroupRebalancer.failSync(member, ErrorCode.REBALANCE_IN_PROGRESS);
                    member.awaitingSync = response;
                    rebalancer.scheduleSessionExpiry(group, member);
                    if (group.isLeader(member.memberId())) {
                        rebalancer.completeAssignment(group, request.assignments());
                    }
                }
                case EMPTY, DEAD -> response.complete(GroupRebalancer.syncFailed(ErrorCode.UNKNOWN_MEMBER_ID));
            }
        }
        return response;
    }

    private static CompletableFuture<SyncGroupCodec.Response> completedSync(ErrorCode error) {
        return CompletableFuture.completedFuture(GroupRebalancer.syncFailed(error));
    }

    // ---------------------------------------------------------------- Heartbeat

    HeartbeatCodec.Response heartbeat(HeartbeatCodec.Request request) {
        ClassicGroup group;
        try {
            group = shards.shardOf(request.groupId()).groups.get(request.groupId());
        } catch (MillraceException e) {
            return new HeartbeatCodec.Response(e.code());
        }
        if (group == null) {
            return new HeartbeatCodec.Response(ErrorCode.UNKNOWN_MEMBER_ID);
        }
        synchronized (group) {
            if (group.is(GroupState.DEAD)) {
                return new HeartbeatCodec.Response(ErrorCode.COORDINATOR_NOT_AVAILABLE);
            }
            ErrorCode invalid = validateMember(group, request.memberId(), request.groupInstanceId());
            if (invalid != ErrorCode.NONE) {
                return new HeartbeatCodec.Response(invalid);
            }
            if (request.generationId() != group.generationId()) {
                return new HeartbeatCodec.Response(ErrorCode.ILLEGAL_GENERATION);
            }
            GroupMember member = group.member(request.memberId()).orElseThrow();
            rebalancer.scheduleSessionExpiry(group, member);
            return new HeartbeatCodec.Response(group.is(GroupState.PREPARING_REBALANCE)
                    ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE);
        }
    }

    // ---------------------------------------------------------------- LeaveGroup

    LeaveGroupCodec.Response leaveGroup(LeaveGroupCodec.Request request) {
        ClassicGroup group;
        try {
            group = shards.shardOf(request.groupId()).groups.get(request.groupId());
        } catch (MillraceException e) {
            return new LeaveGroupCodec.Response(e.code(), List.of());
        }
        List<LeaveGroupCodec.MemberResult> results = new ArrayList<>();
        if (group == null) {
            for (LeaveGroupCodec.Member m : request.members()) {
                results.add(new LeaveGroupCodec.MemberResult(m.memberId(), m.groupInstanceId(), ErrorCode.UNKNOWN_MEMBER_ID));
            }
            return leaveResponse(results);
        }
        synchronized (group) {
            if (group.is(GroupState.DEAD)) {
                return new LeaveGroupCodec.Response(ErrorCode.COORDINATOR_NOT_AVAILABLE, List.of());
            }
            for (LeaveGroupCodec.Member leaving : request.members()) {
                results.add(new LeaveGroupCodec.MemberResult(leaving.memberId(), leaving.groupInstanceId(),
                        leave(group, leaving)));
            }
        }
        return leaveResponse(results);
    }

    private static LeaveGroupCodec.Response leaveResponse(List<LeaveGroupCodec.MemberResult> results) {
        // Below v3 there is one member and its error is the response's error.
        ErrorCode top = results.size() == 1 ? results.get(0).error() : ErrorCode.NONE;
        return new LeaveGroupCodec.Response(top, results);
    }

    private ErrorCode leave(ClassicGroup group, LeaveGroupCodec.Member leaving) {
        String memberId = leaving.memberId() == null ? "" : leaving.memberId();
        if (leaving.groupInstanceId() != null) {
            String current = group.staticMemberId(leaving.groupInstanceId()).orElse(null);
            if (current == null) {
                return ErrorCode.UNKNOWN_MEMBER_ID;
            }
            if (!memberId.isEmpty() && !memberId.equals(current)) {
                return ErrorCode.FENCED_INSTANCE_ID;
            }
            memberId = current;
        } else if (group.removePending(memberId)) {
            rebalancer.maybeCompleteJoin(group.groupId());
            return ErrorCode.NONE;
        }
        GroupMember member = group.member(memberId).orElse(null);
        if (member == null) {
            return ErrorCode.UNKNOWN_MEMBER_ID;
        }
        log.info("Member {} left group {}{}", memberId, group.groupId(),
                leaving.reason() == null ? "" : " (" + leaving.reason() + ")");
        rebalancer.removeMemberAndUpdateGroup(group, member);
        return ErrorCode.NONE;
    }

    /** UNKNOWN_MEMBER_ID or FENCED_INSTANCE_ID for a member id (and instance id) the group does not know. */
    static ErrorCode validateMember(ClassicGroup group, String memberId, String groupInstanceId) {
        if (groupInstanceId != null) {
            String current = group.staticMemberId(groupInstanceId).orElse(null);
            if (current != null && !current.equals(memberId)) {
                return ErrorCode.FENCED_INSTANCE_ID;
            }
        }
        return memberId != null && group.hasMember(memberId) ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID;
    }
}
