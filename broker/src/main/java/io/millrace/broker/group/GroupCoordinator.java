package io.millrace.broker.group;

import io.millrace.broker.network.NamedThreadFactory;
import io.millrace.broker.purgatory.DelayedOperation;
import io.millrace.broker.purgatory.Purgatory;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.ErrorMapper;
import io.millrace.protocol.MillraceException;
import io.millrace.protocol.Time;
import io.millrace.protocol.codec.DeleteGroupsCodec;
import io.millrace.protocol.codec.DescribeGroupsCodec;
import io.millrace.protocol.codec.HeartbeatCodec;
import io.millrace.protocol.codec.JoinGroupCodec;
import io.millrace.protocol.codec.LeaveGroupCodec;
import io.millrace.protocol.codec.ListGroupsCodec;
import io.millrace.protocol.codec.OffsetCommitCodec;
import io.millrace.protocol.codec.OffsetDeleteCodec;
import io.millrace.protocol.codec.OffsetFetchCodec;
import io.millrace.protocol.codec.SyncGroupCodec;
import io.millrace.protocol.group.ConsumerSubscriptions;
import io.millrace.protocol.records.KeyValueRecords;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka's classic group coordinator (JoinGroup, SyncGroup, Heartbeat, LeaveGroup) and offset
 * store (OffsetCommit, OffsetFetch, OffsetDelete), for the groups whose {@code __consumer_offsets}
 * partition this node leads (DESIGN.md decision 8: offsets never go through Raft).
 *
 * <p>Every group change that must survive a restart (a generation's assignment, a commit, a
 * deletion) is written to the group's offsets partition first and applied in memory once the write
 * is acknowledged; a new leader rebuilds its groups by replaying the partition. Joins wait in a
 * purgatory keyed by group id; session, rebalance and pending-member timeouts run on a timer
 * wheel. Nothing polls.
 *
 * <p>Thread-safety: each group is guarded by its own monitor; a call locks one group at a time.
 */
public final class GroupCoordinator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCoordinator.class);

    /** The type ListGroups reports for every group this coordinator runs. */
    public static final String CLASSIC_GROUP_TYPE = "classic";

    private final GroupConfig config;
    private final Time time;
    private final Timer timer;
    private final GroupLog groupLog;
    private final Purgatory<String> joinPurgatory;
    private final GroupMetrics metrics;
    private final ConcurrentHashMap<Integer, CoordinatorShard> shards = new ConcurrentHashMap<>();
    private final ExecutorService loader = Executors.newSingleThreadExecutor(new NamedThreadFactory("millrace-group-loader"));

    public GroupCoordinator(GroupConfig config, Time time, Timer timer, GroupLog groupLog, GroupMetrics metrics) {
        this.config = config;
        this.time = time;
        this.timer = timer;
        this.groupLog = groupLog;
        this.metrics = metrics;
        this.joinPurgatory = new Purgatory<>(timer);
        scheduleOffsetExpiry();
    }

    public GroupConfig config() {
        return config;
    }

    public GroupMetrics metrics() {
        return metrics;
    }

    // ---------------------------------------------------------------- leadership

    /**
     * Brings the loaded shards in line with the offsets-topic partitions this node now leads: new
     * ones are replayed on the loader thread, lost ones are unloaded (their members' waiting
     * requests answered with NOT_COORDINATOR).
     */
    public synchronized void onLeadershipChange(Set<Integer> ledPartitions) {
        for (Integer partition : ledPartitions) {
            if (!shards.containsKey(partition)) {
                CoordinatorShard shard = new CoordinatorShard(partition);
                shards.put(partition, shard);
                loader.execute(() -> load(shard));
            }
        }
        for (CoordinatorShard shard : List.copyOf(shards.values())) {
            if (!ledPartitions.contains(shard.partition())) {
                shards.remove(shard.partition());
                unload(shard);
            }
        }
    }

    /** Whether the shard for {@code partition} is loaded and serving. */
    public boolean isActive(int partition) {
        CoordinatorShard shard = shards.get(partition);
        return shard != null && shard.status() == CoordinatorShard.Status.ACTIVE;
    }

    private void load(CoordinatorShard shard) {
        long started = time.milliseconds();
        Map<String, ClassicGroup> loaded = new HashMap<>();
        try {
            groupLog.replay(shard.partition(), (offset, timestamp, key, value) -> {
                GroupRecords.Key k = GroupRecords.readKey(key);
                ClassicGroup group = loaded.computeIfAbsent(k.group(), id -> new ClassicGroup(id, started));
                if (k.isOffset()) {
                    ClassicGroup.OffsetKey ok = new ClassicGroup.OffsetKey(k.topic(), k.partition());
                    if (value == null) {
                        group.removeOffset(ok, offset);
                    } else {
                        GroupRecords.OffsetValue v = GroupRecords.readOffsetValue(value);
                        group.applyOffset(ok, new ClassicGroup.CommittedOffset(v.offset(), v.leaderEpoch(),
                                v.metadata(), v.commitTimestampMs(), offset));
                    }
                } else if (value == null) {
                    group.restore(new GroupRecords.GroupValue(null, 0, null, null, timestamp, List.of()));
                } else {
                    group.restore(GroupRecords.readGroupValue(value));
                }
            });
        } catch (Exception failure) {
            log.error("Could not load groups of {}-{}; its groups stay unavailable until leadership changes",
                    GroupConfig.OFFSETS_TOPIC, shard.partition(), failure);
            return;
        }
        synchronized (this) {
            if (shards.get(shard.partition()) != shard) {
                return;
            }
            for (ClassicGroup group : loaded.values()) {
                if (group.is(GroupState.EMPTY) && group.offsets().isEmpty() && group.generationId() == 0) {
                    continue;
                }
                shard.groups.put(group.groupId(), group);
                synchronized (group) {
                    for (GroupMember member : group.members()) {
                        scheduleSessionExpiry(group, member);
                    }
                }
            }
            shard.status(CoordinatorShard.Status.ACTIVE);
        }
        log.info("Loaded {} group(s) of {}-{} in {} ms", shard.groups.size(), GroupConfig.OFFSETS_TOPIC,
                shard.partition(), time.milliseconds() - started);
    }

    private void unload(CoordinatorShard shard) {
        shard.status(CoordinatorShard.Status.UNLOADED);
        for (ClassicGroup group : shard.groups.values()) {
            synchronized (group) {
                for (GroupMember member : group.members()) {
                    cancelSessionExpiry(member);
                    failJoin(member, ErrorCode.NOT_COORDINATOR);
                    failSync(member, ErrorCode.NOT_COORDINATOR);
                }
                group.clearPending();
                cancelRebalanceTimer(group);
                group.transitionTo(GroupState.DEAD, time.milliseconds());
            }
            joinPurgatory.checkAndComplete(group.groupId());
        }
        shard.groups.clear();
    }

    /** The active shard of {@code groupId}, or the error a client should get instead. */
    private CoordinatorShard shardOf(String groupId) {
        CoordinatorShard shard = shards.get(config.partitionFor(groupId));
        if (shard == null || shard.status() == CoordinatorShard.Status.UNLOADED) {
            throw new MillraceException(ErrorCode.NOT_COORDINATOR,
                    "This node is not the coordinator of group " + groupId);
        }
        if (shard.status() == CoordinatorShard.Status.LOADING) {
            throw new MillraceException(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
                    "The coordinator is loading the groups of " + GroupConfig.OFFSETS_TOPIC + "-" + shard.partition());
        }
        return shard;
    }

    private static ErrorCode errorOf(Throwable failure) {
        return ErrorMapper.codeOf(failure);
    }

    // ---------------------------------------------------------------- JoinGroup

    public CompletableFuture<JoinGroupCodec.Response> joinGroup(JoinGroupCodec.Request request, short version,
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
            shard = shardOf(request.groupId());
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
            Timeout expiry = timer.newTimeout(t -> expirePending(group, newMemberId), request.sessionTimeoutMs(),
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
                    response.complete(joinResponse(group, member, version, false));
                } else {
                    updateMemberAndRebalance(group, member, request, version, response);
                }
            }
            case STABLE -> {
                if (group.isLeader(memberId) || !member.matches(request.protocols())) {
                    updateMemberAndRebalance(group, member, request, version, response);
                } else {
                    response.complete(joinResponse(group, member, version, false));
                }
            }
            case EMPTY, DEAD -> response.complete(JoinGroupCodec.Response.failed(ErrorCode.UNKNOWN_MEMBER_ID, memberId));
        }
    }

    /** A static member restarted with a new member id: fence the old id and keep the assignment if nothing changed. */
    private void rejoinStaticMember(ClassicGroup group, GroupMember member, String newMemberId,
                                    JoinGroupCodec.Request request, short version,
                                    CompletableFuture<JoinGroupCodec.Response> response) {
        failJoin(member, ErrorCode.FENCED_INSTANCE_ID);
        failSync(member, ErrorCode.FENCED_INSTANCE_ID);
        group.replaceStaticMember(member, newMemberId);
        boolean leader = group.isLeader(newMemberId);
        boolean unchanged = member.matches(request.protocols());
        member.update(request.rebalanceTimeoutMs(), request.sessionTimeoutMs(), request.protocols());
        member.joinVersion = version;
        if (group.is(GroupState.STABLE) && unchanged && (!leader || version >= 9)) {
            scheduleSessionExpiry(group, member);
            int generation = group.generationId();
            persistGroup(group).whenComplete((offset, failure) -> {
                synchronized (group) {
                    if (failure != null) {
                        response.complete(JoinGroupCodec.Response.failed(coordinatorError(failure), newMemberId));
                    } else {
                        response.complete(joinResponse(group, member, version, leader && generation == group.generationId()));
                    }
                }
            });
            return;
        }
        member.awaitingJoin = response;
        if (group.is(GroupState.PREPARING_REBALANCE)) {
            joinPurgatory.checkAndComplete(group.groupId());
        } else {
            prepareRebalance(group, "static member " + member.groupInstanceId() + " rejoined with new metadata");
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
        failJoin(member, ErrorCode.UNKNOWN_MEMBER_ID);
        member.update(request.rebalanceTimeoutMs(), request.sessionTimeoutMs(), request.protocols());
        member.joinVersion = version;
        member.awaitingJoin = response;
        maybePrepareRebalanceOrComplete(group, "member " + member.memberId() + " rejoined");
    }

    private void maybePrepareRebalanceOrComplete(ClassicGroup group, String reason) {
        switch (group.state()) {
            case STABLE, COMPLETING_REBALANCE, EMPTY -> prepareRebalance(group, reason);
            case PREPARING_REBALANCE -> joinPurgatory.checkAndComplete(group.groupId());
            case DEAD -> {
            }
        }
    }

    private void prepareRebalance(ClassicGroup group, String reason) {
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

    private JoinGroupCodec.Response joinResponse(ClassicGroup group, GroupMember member, short version,
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

    private void cancelRebalanceTimer(ClassicGroup group) {
        if (group.rebalanceTimer != null) {
            group.rebalanceTimer.cancel();
            group.rebalanceTimer = null;
        }
    }

    // ---------------------------------------------------------------- SyncGroup

    public CompletableFuture<SyncGroupCodec.Response> syncGroup(SyncGroupCodec.Request request) {
        ClassicGroup group;
        try {
            group = shardOf(request.groupId()).groups.get(request.groupId());
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
                case PREPARING_REBALANCE -> response.complete(syncFailed(ErrorCode.REBALANCE_IN_PROGRESS));
                case STABLE -> {
                    scheduleSessionExpiry(group, member);
                    response.complete(new SyncGroupCodec.Response(ErrorCode.NONE, group.protocolType(),
                            group.protocolName(), member.assignment()));
                }
                case COMPLETING_REBALANCE -> {
                    failSync(member, ErrorCode.REBALANCE_IN_PROGRESS);
                    member.awaitingSync = response;
                    scheduleSessionExpiry(group, member);
                    if (group.isLeader(member.memberId())) {
                        completeAssignment(group, request.assignments());
                    }
                }
                case EMPTY, DEAD -> response.complete(syncFailed(ErrorCode.UNKNOWN_MEMBER_ID));
            }
        }
        return response;
    }

    private static CompletableFuture<SyncGroupCodec.Response> completedSync(ErrorCode error) {
        return CompletableFuture.completedFuture(syncFailed(error));
    }

    private static SyncGroupCodec.Response syncFailed(ErrorCode error) {
        return new SyncGroupCodec.Response(error, null, null, new byte[0]);
    }

    /** The leader's assignment: persisted with the group, then handed to every member. */
    private void completeAssignment(ClassicGroup group, List<SyncGroupCodec.Assignment> assignments) {
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
                    ErrorCode error = coordinatorError(failure);
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

    // ---------------------------------------------------------------- Heartbeat

    public HeartbeatCodec.Response heartbeat(HeartbeatCodec.Request request) {
        ClassicGroup group;
        try {
            group = shardOf(request.groupId()).groups.get(request.groupId());
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
            scheduleSessionExpiry(group, member);
            return new HeartbeatCodec.Response(group.is(GroupState.PREPARING_REBALANCE)
                    ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE);
        }
    }

    // ---------------------------------------------------------------- LeaveGroup

    public LeaveGroupCodec.Response leaveGroup(LeaveGroupCodec.Request request) {
        ClassicGroup group;
        try {
            group = shardOf(request.groupId()).groups.get(request.groupId());
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
            joinPurgatory.checkAndComplete(group.groupId());
            return ErrorCode.NONE;
        }
        GroupMember member = group.member(memberId).orElse(null);
        if (member == null) {
            return ErrorCode.UNKNOWN_MEMBER_ID;
        }
        log.info("Member {} left group {}{}", memberId, group.groupId(),
                leaving.reason() == null ? "" : " (" + leaving.reason() + ")");
        removeMemberAndUpdateGroup(group, member);
        return ErrorCode.NONE;
    }

    private void removeMemberAndUpdateGroup(ClassicGroup group, GroupMember member) {
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

    private void scheduleSessionExpiry(ClassicGroup group, GroupMember member) {
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

    private static void cancelSessionExpiry(GroupMember member) {
        if (member.sessionExpiry != null) {
            member.sessionExpiry.cancel();
            member.sessionExpiry = null;
        }
    }

    private void expirePending(ClassicGroup group, String memberId) {
        synchronized (group) {
            if (group.removePending(memberId)) {
                log.info("Pending member {} of group {} did not rejoin in time", memberId, group.groupId());
                if (group.is(GroupState.PREPARING_REBALANCE)) {
                    joinPurgatory.checkAndComplete(group.groupId());
                }
            }
        }
    }

    private static void failJoin(GroupMember member, ErrorCode error) {
        CompletableFuture<JoinGroupCodec.Response> waiting = member.awaitingJoin;
        member.awaitingJoin = null;
        if (waiting != null) {
            waiting.complete(JoinGroupCodec.Response.failed(error, member.memberId()));
        }
    }

    private static void failSync(GroupMember member, ErrorCode error) {
        CompletableFuture<SyncGroupCodec.Response> waiting = member.awaitingSync;
        member.awaitingSync = null;
        if (waiting != null) {
            waiting.complete(syncFailed(error));
        }
    }

    /** UNKNOWN_MEMBER_ID or FENCED_INSTANCE_ID for a member id (and instance id) the group does not know. */
    private static ErrorCode validateMember(ClassicGroup group, String memberId, String groupInstanceId) {
        if (groupInstanceId != null) {
            String current = group.staticMemberId(groupInstanceId).orElse(null);
            if (current != null && !current.equals(memberId)) {
                return ErrorCode.FENCED_INSTANCE_ID;
            }
        }
        return memberId != null && group.hasMember(memberId) ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID;
    }

    // ---------------------------------------------------------------- offsets

    /**
     * Commits offsets. Members commit with their generation; offsets-only groups (assign() consumers,
     * admin tools) commit with generation -1 and no member id, which is allowed while the group has
     * no members.
     *
     * <p>Topics must already be resolved to names; a topic without a name (an unknown topic id) gets
     * UNKNOWN_TOPIC_ID, a name the metadata image does not know UNKNOWN_TOPIC_OR_PARTITION.
     *
     * @param topicExists whether a topic exists, as the metadata image says
     */
    public CompletableFuture<OffsetCommitCodec.Response> commitOffsets(OffsetCommitCodec.Request request,
                                                                       Predicate<String> topicExists) {
        ErrorCode groupError = ErrorCode.NONE;
        ClassicGroup group = null;
        if (request.groupId() == null || request.groupId().isEmpty()) {
            groupError = ErrorCode.INVALID_GROUP_ID;
        } else {
            try {
                CoordinatorShard shard = shardOf(request.groupId());
                group = shard.groups.get(request.groupId());
                if (group == null) {
                    if (request.generationId() >= 0) {
                        // A member of a group the coordinator lost track of (deleted, expired).
                        groupError = ErrorCode.ILLEGAL_GENERATION;
                    } else {
                        group = shard.groups.computeIfAbsent(request.groupId(), id -> new ClassicGroup(id, time.milliseconds()));
                    }
                }
            } catch (MillraceException e) {
                groupError = e.code();
            }
        }
        if (groupError != ErrorCode.NONE) {
            return CompletableFuture.completedFuture(commitResponse(request, tp -> null, groupError));
        }
        ClassicGroup target = group;
        synchronized (target) {
            ErrorCode invalid = validateCommit(target, request);
            if (invalid != ErrorCode.NONE) {
                return CompletableFuture.completedFuture(commitResponse(request, tp -> null, invalid));
            }
            long now = time.milliseconds();
            Map<ClassicGroup.OffsetKey, ErrorCode> errors = new HashMap<>();
            Map<ClassicGroup.OffsetKey, GroupRecords.OffsetValue> accepted = new LinkedHashMap<>();
            List<KeyValueRecords.Entry> entries = new ArrayList<>();
            for (OffsetCommitCodec.TopicRequest topic : request.topics()) {
                ErrorCode topicError = topic.name() == null ? ErrorCode.UNKNOWN_TOPIC_ID
                        : topicExists.test(topic.name()) ? ErrorCode.NONE : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
                for (OffsetCommitCodec.PartitionRequest p : topic.partitions()) {
                    ClassicGroup.OffsetKey key = new ClassicGroup.OffsetKey(topic.name(), p.partition());
                    if (topicError != ErrorCode.NONE) {
                        errors.put(key, topicError);
                    } else if (p.metadata() != null && p.metadata().length() > config.offsetMetadataMaxBytes()) {
                        errors.put(key, ErrorCode.OFFSET_METADATA_TOO_LARGE);
                    } else {
                        GroupRecords.OffsetValue value = new GroupRecords.OffsetValue(p.offset(), p.leaderEpoch(),
                                p.metadata() == null ? "" : p.metadata(), now);
                        accepted.put(key, value);
                        entries.add(new KeyValueRecords.Entry(GroupRecords.offsetKey(target.groupId(), key.topic(),
                                key.partition()), GroupRecords.offsetValue(value)));
                    }
                }
            }
            if (entries.isEmpty()) {
                return CompletableFuture.completedFuture(commitResponse(request, errors::get, ErrorCode.NONE));
            }
            return groupLog.append(config.partitionFor(target.groupId()), entries).handle((firstOffset, failure) -> {
                ErrorCode writeError = failure == null ? ErrorCode.NONE : commitError(failure);
                synchronized (target) {
                    long recordOffset = failure == null ? firstOffset : -1;
                    for (Map.Entry<ClassicGroup.OffsetKey, GroupRecords.OffsetValue> e : accepted.entrySet()) {
                        if (failure == null) {
                            GroupRecords.OffsetValue v = e.getValue();
                            target.applyOffset(e.getKey(), new ClassicGroup.CommittedOffset(v.offset(), v.leaderEpoch(),
                                    v.metadata(), v.commitTimestampMs(), recordOffset++));
                        } else {
                            errors.put(e.getKey(), writeError);
                        }
                    }
                }
                if (failure == null) {
                    metrics.offsetCommits.addAndGet(accepted.size());
                }
                return commitResponse(request, errors::get, ErrorCode.NONE);
            });
        }
    }

    private ErrorCode validateCommit(ClassicGroup group, OffsetCommitCodec.Request request) {
        if (group.is(GroupState.DEAD)) {
            return ErrorCode.COORDINATOR_NOT_AVAILABLE;
        }
        String memberId = request.memberId() == null ? "" : request.memberId();
        if (request.generationId() < 0 && memberId.isEmpty()) {
            return group.hasMembers() ? ErrorCode.ILLEGAL_GENERATION : ErrorCode.NONE;
        }
        ErrorCode invalid = validateMember(group, memberId, request.groupInstanceId());
        if (invalid != ErrorCode.NONE) {
            return invalid;
        }
        if (request.generationId() != group.generationId()) {
            return ErrorCode.ILLEGAL_GENERATION;
        }
        if (group.is(GroupState.COMPLETING_REBALANCE)) {
            return ErrorCode.REBALANCE_IN_PROGRESS;
        }
        group.member(memberId).ifPresent(member -> scheduleSessionExpiry(group, member));
        return ErrorCode.NONE;
    }

    private static OffsetCommitCodec.Response commitResponse(OffsetCommitCodec.Request request,
                                                             Function<ClassicGroup.OffsetKey, ErrorCode> errors,
                                                             ErrorCode fallback) {
        List<OffsetCommitCodec.TopicResult> topics = new ArrayList<>();
        for (OffsetCommitCodec.TopicRequest topic : request.topics()) {
            List<OffsetCommitCodec.PartitionResult> partitions = new ArrayList<>();
            for (OffsetCommitCodec.PartitionRequest p : topic.partitions()) {
                ErrorCode error = errors.apply(new ClassicGroup.OffsetKey(topic.name(), p.partition()));
                partitions.add(new OffsetCommitCodec.PartitionResult(p.partition(), error == null ? fallback : error));
            }
            topics.add(new OffsetCommitCodec.TopicResult(topic.name(), topic.topicId(), partitions));
        }
        return new OffsetCommitCodec.Response(topics);
    }

    /** Kafka's mapping of a failed write to the offsets topic to what a committing client understands. */
    private static ErrorCode commitError(Throwable failure) {
        return switch (errorOf(failure)) {
            case UNKNOWN_TOPIC_OR_PARTITION, NOT_ENOUGH_REPLICAS, NOT_ENOUGH_REPLICAS_AFTER_APPEND, REQUEST_TIMED_OUT ->
                    ErrorCode.COORDINATOR_NOT_AVAILABLE;
            case NOT_LEADER_OR_FOLLOWER, KAFKA_STORAGE_ERROR -> ErrorCode.NOT_COORDINATOR;
            case MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE, INVALID_FETCH_SIZE -> ErrorCode.INVALID_COMMIT_OFFSET_SIZE;
            default -> ErrorCode.UNKNOWN_SERVER_ERROR;
        };
    }

    /** The same mapping for group metadata writes (JoinGroup, SyncGroup). */
    private static ErrorCode coordinatorError(Throwable failure) {
        ErrorCode error = commitError(failure);
        return error == ErrorCode.INVALID_COMMIT_OFFSET_SIZE ? ErrorCode.UNKNOWN_SERVER_ERROR : error;
    }

    public OffsetFetchCodec.GroupResult fetchOffsets(OffsetFetchCodec.GroupRequest request) {
        ClassicGroup group;
        try {
            group = shardOf(request.groupId()).groups.get(request.groupId());
        } catch (MillraceException e) {
            return new OffsetFetchCodec.GroupResult(request.groupId(), e.code(), List.of());
        }
        List<OffsetFetchCodec.TopicResult> topics = new ArrayList<>();
        if (group == null) {
            if (request.topics() != null) {
                for (OffsetFetchCodec.TopicRequest topic : request.topics()) {
                    topics.add(new OffsetFetchCodec.TopicResult(topic.name(), topic.topicId(),
                            topic.partitions().stream().map(GroupCoordinator::noOffset).toList()));
                }
            }
            return new OffsetFetchCodec.GroupResult(request.groupId(), ErrorCode.NONE, topics);
        }
        synchronized (group) {
            if (request.topics() == null) {
                Map<String, List<OffsetFetchCodec.PartitionResult>> byTopic = new TreeMap<>();
                group.offsets().forEach((key, committed) -> byTopic.computeIfAbsent(key.topic(), t -> new ArrayList<>())
                        .add(toResult(key.partition(), committed)));
                byTopic.forEach((topic, partitions) -> topics.add(new OffsetFetchCodec.TopicResult(topic, null, partitions)));
            } else {
                for (OffsetFetchCodec.TopicRequest topic : request.topics()) {
                    List<OffsetFetchCodec.PartitionResult> partitions = new ArrayList<>();
                    for (int partition : topic.partitions()) {
                        ClassicGroup.CommittedOffset committed =
                                group.offsets().get(new ClassicGroup.OffsetKey(topic.name(), partition));
                        partitions.add(committed == null ? noOffset(partition) : toResult(partition, committed));
                    }
                    topics.add(new OffsetFetchCodec.TopicResult(topic.name(), topic.topicId(), partitions));
                }
            }
        }
        return new OffsetFetchCodec.GroupResult(request.groupId(), ErrorCode.NONE, topics);
    }

    private static OffsetFetchCodec.PartitionResult noOffset(int partition) {
        return new OffsetFetchCodec.PartitionResult(partition, -1L, -1, "", ErrorCode.NONE);
    }

    private static OffsetFetchCodec.PartitionResult toResult(int partition, ClassicGroup.CommittedOffset committed) {
        return new OffsetFetchCodec.PartitionResult(partition, committed.offset(), committed.leaderEpoch(),
                committed.metadata(), ErrorCode.NONE);
    }

    public CompletableFuture<OffsetDeleteCodec.Response> deleteOffsets(OffsetDeleteCodec.Request request) {
        ClassicGroup group;
        try {
            group = shardOf(request.groupId()).groups.get(request.groupId());
        } catch (MillraceException e) {
            return CompletableFuture.completedFuture(new OffsetDeleteCodec.Response(e.code(), List.of()));
        }
        if (group == null) {
            return CompletableFuture.completedFuture(new OffsetDeleteCodec.Response(ErrorCode.GROUP_ID_NOT_FOUND, List.of()));
        }
        synchronized (group) {
            if (group.is(GroupState.DEAD)) {
                return CompletableFuture.completedFuture(new OffsetDeleteCodec.Response(ErrorCode.GROUP_ID_NOT_FOUND, List.of()));
            }
            if (group.hasMembers() && !ConsumerSubscriptions.CONSUMER_PROTOCOL_TYPE.equals(group.protocolType())) {
                return CompletableFuture.completedFuture(new OffsetDeleteCodec.Response(ErrorCode.NON_EMPTY_GROUP, List.of()));
            }
            Map<ClassicGroup.OffsetKey, ErrorCode> errors = new HashMap<>();
            List<KeyValueRecords.Entry> tombstones = new ArrayList<>();
            List<ClassicGroup.OffsetKey> deleted = new ArrayList<>();
            for (OffsetDeleteCodec.TopicRequest topic : request.topics()) {
                boolean subscribed = group.isSubscribedTo(topic.name());
                for (int partition : topic.partitions()) {
                    ClassicGroup.OffsetKey key = new ClassicGroup.OffsetKey(topic.name(), partition);
                    if (subscribed) {
                        errors.put(key, ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC);
                    } else {
                        errors.put(key, ErrorCode.NONE);
                        if (group.offsets().containsKey(key)) {
                            deleted.add(key);
                            tombstones.add(new KeyValueRecords.Entry(
                                    GroupRecords.offsetKey(group.groupId(), topic.name(), partition), null));
                        }
                    }
                }
            }
            CompletableFuture<Long> written = tombstones.isEmpty()
                    ? CompletableFuture.completedFuture(-1L)
                    : groupLog.append(config.partitionFor(group.groupId()), tombstones);
            return written.handle((firstOffset, failure) -> {
                if (failure != null) {
                    return new OffsetDeleteCodec.Response(commitError(failure), List.of());
                }
                synchronized (group) {
                    long recordOffset = firstOffset;
                    for (ClassicGroup.OffsetKey key : deleted) {
                        group.removeOffset(key, recordOffset++);
                    }
                }
                List<OffsetDeleteCodec.TopicResult> topics = new ArrayList<>();
                for (OffsetDeleteCodec.TopicRequest topic : request.topics()) {
                    topics.add(new OffsetDeleteCodec.TopicResult(topic.name(), topic.partitions().stream()
                            .map(p -> new OffsetDeleteCodec.PartitionResult(p,
                                    errors.get(new ClassicGroup.OffsetKey(topic.name(), p)))).toList()));
                }
                return new OffsetDeleteCodec.Response(ErrorCode.NONE, topics);
            });
        }
    }

    // ---------------------------------------------------------------- admin

    public DescribeGroupsCodec.Group describeGroup(String groupId) {
        ClassicGroup group;
        try {
            group = shardOf(groupId).groups.get(groupId);
        } catch (MillraceException e) {
            return new DescribeGroupsCodec.Group(e.code(), e.getMessage(), groupId, "", "", "", List.of(),
                    Integer.MIN_VALUE);
        }
        if (group == null) {
            return new DescribeGroupsCodec.Group(ErrorCode.GROUP_ID_NOT_FOUND, "Group " + groupId + " not found.",
                    groupId, GroupState.DEAD.kafkaName(), "", "", List.of(), Integer.MIN_VALUE);
        }
        synchronized (group) {
            boolean stable = group.is(GroupState.STABLE);
            List<DescribeGroupsCodec.Member> members = new ArrayList<>();
            for (GroupMember m : group.members()) {
                members.add(new DescribeGroupsCodec.Member(m.memberId(), m.groupInstanceId(), m.clientId(),
                        m.clientHost(), stable ? m.metadata(group.protocolName()) : new byte[0],
                        stable ? m.assignment() : new byte[0]));
            }
            return new DescribeGroupsCodec.Group(ErrorCode.NONE, null, groupId, group.state().kafkaName(),
                    group.protocolType() == null ? "" : group.protocolType(),
                    stable && group.protocolName() != null ? group.protocolName() : "", members, Integer.MIN_VALUE);
        }
    }

    public ListGroupsCodec.Response listGroups(ListGroupsCodec.Request request) {
        Set<GroupState> states = new HashSet<>();
        for (String name : request.statesFilter()) {
            GroupState state = GroupState.parse(name);
            if (state != null) {
                states.add(state);
            }
        }
        boolean anyStateRequested = !request.statesFilter().isEmpty();
        boolean classicWanted = request.typesFilter().isEmpty()
                || request.typesFilter().stream().anyMatch(CLASSIC_GROUP_TYPE::equalsIgnoreCase);
        List<ListGroupsCodec.Group> groups = new ArrayList<>();
        ErrorCode error = ErrorCode.NONE;
        for (CoordinatorShard shard : shards.values()) {
            if (shard.status() == CoordinatorShard.Status.LOADING) {
                error = ErrorCode.COORDINATOR_LOAD_IN_PROGRESS;
                continue;
            }
            for (ClassicGroup group : shard.groups.values()) {
                synchronized (group) {
                    if (group.is(GroupState.DEAD) || !classicWanted || (anyStateRequested && !states.contains(group.state()))) {
                        continue;
                    }
                    groups.add(new ListGroupsCodec.Group(group.groupId(),
                            group.protocolType() == null ? "" : group.protocolType(), group.state().kafkaName(),
                            CLASSIC_GROUP_TYPE));
                }
            }
        }
        return new ListGroupsCodec.Response(error, groups);
    }

    public CompletableFuture<DeleteGroupsCodec.Result> deleteGroup(String groupId) {
        ClassicGroup group;
        CoordinatorShard shard;
        try {
            shard = shardOf(groupId);
            group = shard.groups.get(groupId);
        } catch (MillraceException e) {
            return CompletableFuture.completedFuture(new DeleteGroupsCodec.Result(groupId, e.code()));
        }
        if (group == null) {
            return CompletableFuture.completedFuture(new DeleteGroupsCodec.Result(groupId, ErrorCode.GROUP_ID_NOT_FOUND));
        }
        synchronized (group) {
            if (group.is(GroupState.DEAD)) {
                return CompletableFuture.completedFuture(new DeleteGroupsCodec.Result(groupId, ErrorCode.GROUP_ID_NOT_FOUND));
            }
            if (!group.is(GroupState.EMPTY)) {
                return CompletableFuture.completedFuture(new DeleteGroupsCodec.Result(groupId, ErrorCode.NON_EMPTY_GROUP));
            }
            return writeGroupTombstones(shard, group).handle((ignored, failure) ->
                    new DeleteGroupsCodec.Result(groupId, failure == null ? ErrorCode.NONE : coordinatorError(failure)));
        }
    }

    /** Writes tombstones for a group and all its offsets; once written the group is dead and forgotten. */
    private CompletableFuture<Long> writeGroupTombstones(CoordinatorShard shard, ClassicGroup group) {
        List<KeyValueRecords.Entry> tombstones = new ArrayList<>();
        for (ClassicGroup.OffsetKey key : group.offsets().keySet()) {
            tombstones.add(new KeyValueRecords.Entry(GroupRecords.offsetKey(group.groupId(), key.topic(), key.partition()), null));
        }
        tombstones.add(new KeyValueRecords.Entry(GroupRecords.groupKey(group.groupId()), null));
        int generation = group.generationId();
        return groupLog.append(shard.partition(), tombstones).thenApply(offset -> {
            synchronized (group) {
                if (group.is(GroupState.EMPTY) && group.generationId() == generation) {
                    group.transitionTo(GroupState.DEAD, time.milliseconds());
                    shard.groups.remove(group.groupId(), group);
                }
            }
            return offset;
        });
    }

    private CompletableFuture<Long> persistGroup(ClassicGroup group) {
        return groupLog.append(config.partitionFor(group.groupId()), List.of(new KeyValueRecords.Entry(
                GroupRecords.groupKey(group.groupId()), GroupRecords.groupValue(group.toValue()))));
    }

    // ---------------------------------------------------------------- retention

    private void scheduleOffsetExpiry() {
        timer.newTimeout(t -> {
            try {
                expireOffsets();
            } catch (RuntimeException failure) {
                log.warn("Offset expiration failed", failure);
            } finally {
                if (!loader.isShutdown()) {
                    scheduleOffsetExpiry();
                }
            }
        }, config.offsetsRetentionCheckIntervalMs(), TimeUnit.MILLISECONDS);
    }

    /**
     * {@code offsets.retention.minutes}: offsets of a group that has been empty that long are removed
     * (for a group that never had members, offsets older than that since their commit); a group
     * left with no offsets and no members is deleted.
     */
    void expireOffsets() {
        long now = time.milliseconds();
        for (CoordinatorShard shard : shards.values()) {
            if (shard.status() != CoordinatorShard.Status.ACTIVE) {
                continue;
            }
            for (ClassicGroup group : shard.groups.values()) {
                synchronized (group) {
                    if (!group.is(GroupState.EMPTY)) {
                        continue;
                    }
                    boolean everHadMembers = group.protocolType() != null;
                    List<ClassicGroup.OffsetKey> expired = new ArrayList<>();
                    group.offsets().forEach((key, committed) -> {
                        long since = everHadMembers ? group.stateTimestampMs() : committed.commitTimestampMs();
                        if (now - since >= config.offsetsRetentionMs()) {
                            expired.add(key);
                        }
                    });
                    if (expired.size() == group.offsets().size()) {
                        log.info("Group {}: its {} offset(s) expired; deleting the group", group.groupId(), expired.size());
                        writeGroupTombstones(shard, group);
                    } else if (!expired.isEmpty()) {
                        List<KeyValueRecords.Entry> tombstones = expired.stream().map(key -> new KeyValueRecords.Entry(
                                GroupRecords.offsetKey(group.groupId(), key.topic(), key.partition()), null)).toList();
                        groupLog.append(shard.partition(), tombstones).thenAccept(first -> {
                            synchronized (group) {
                                long offset = first;
                                for (ClassicGroup.OffsetKey key : expired) {
                                    group.removeOffset(key, offset++);
                                }
                            }
                        });
                    }
                }
            }
        }
    }

    /**
     * Deleted topics take their committed offsets with them, as in Kafka: tombstones are written for
     * every group of an active shard that has offsets of those topics, on the loader thread.
     */
    public void onTopicsDeleted(Set<String> topics) {
        if (!topics.isEmpty() && !loader.isShutdown()) {
            // Called on the metadata apply thread, which must not wait for a log append.
            loader.execute(() -> removeOffsetsOf(topics));
        }
    }

    private void removeOffsetsOf(Set<String> topics) {
        for (CoordinatorShard shard : shards.values()) {
            if (shard.status() != CoordinatorShard.Status.ACTIVE) {
                continue;
            }
            for (ClassicGroup group : shard.groups.values()) {
                synchronized (group) {
                    List<ClassicGroup.OffsetKey> gone = group.offsets().keySet().stream()
                            .filter(key -> topics.contains(key.topic())).toList();
                    if (gone.isEmpty()) {
                        continue;
                    }
                    List<KeyValueRecords.Entry> tombstones = gone.stream().map(key -> new KeyValueRecords.Entry(
                            GroupRecords.offsetKey(group.groupId(), key.topic(), key.partition()), null)).toList();
                    groupLog.append(shard.partition(), tombstones).thenAccept(first -> {
                        synchronized (group) {
                            long offset = first;
                            for (ClassicGroup.OffsetKey key : gone) {
                                group.removeOffset(key, offset++);
                            }
                        }
                    });
                }
            }
        }
    }

    // ---------------------------------------------------------------- metrics

    /** Groups per state, over the loaded shards. */
    public Map<GroupState, Integer> groupCountsByState() {
        Map<GroupState, Integer> counts = new EnumMap<>(GroupState.class);
        for (GroupState state : GroupState.values()) {
            counts.put(state, 0);
        }
        for (CoordinatorShard shard : shards.values()) {
            for (ClassicGroup group : shard.groups.values()) {
                counts.merge(group.state(), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Every committed offset of the loaded groups: group, topic, partition, offset. */
    public List<CommittedOffsetView> committedOffsets() {
        List<CommittedOffsetView> views = new ArrayList<>();
        for (CoordinatorShard shard : shards.values()) {
            for (ClassicGroup group : shard.groups.values()) {
                synchronized (group) {
                    group.offsets().forEach((key, committed) -> views.add(
                            new CommittedOffsetView(group.groupId(), key.topic(), key.partition(), committed.offset())));
                }
            }
        }
        return views;
    }

    /** A committed offset, for the consumer-lag metric. */
    public record CommittedOffsetView(String groupId, String topic, int partition, long offset) {
    }

    @Override
    public void close() {
        loader.shutdownNow();
        for (CoordinatorShard shard : List.copyOf(shards.values())) {
            unload(shard);
        }
        shards.clear();
    }
}
