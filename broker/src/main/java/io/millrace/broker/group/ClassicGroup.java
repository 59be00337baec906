package io.millrace.broker.group;

import io.millrace.protocol.codec.JoinGroupCodec;
import io.millrace.protocol.group.ConsumerSubscriptions;
import io.netty.util.Timeout;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A classic consumer group: its state, members, generation and committed offsets.
 *
 * <p>Thread-safety: every field is guarded by this object's monitor; the coordinator holds it for
 * every read and change.
 */
final class ClassicGroup {

    /** A committed offset; {@code recordOffset} is where it sits in the offsets topic, to order concurrent commits. */
    record CommittedOffset(long offset, int leaderEpoch, String metadata, long commitTimestampMs, long recordOffset) {
    }

    /** A topic-partition key for committed offsets. */
    record OffsetKey(String topic, int partition) {
    }

    private final String groupId;
    private GroupState state = GroupState.EMPTY;
    private long stateTimestampMs;
    private int generationId;
    private String protocolType;
    private String protocolName;
    private String leaderId;
    private final Map<String, GroupMember> members = new LinkedHashMap<>();
    private final Map<String, String> staticMembers = new HashMap<>();
    /** Member ids handed out with MEMBER_ID_REQUIRED that have not joined yet, with their expiry. */
    private final Map<String, Timeout> pendingMembers = new HashMap<>();
    private final Map<OffsetKey, CommittedOffset> offsets = new HashMap<>();
    /** Set while an initial delayed join is running and a new member arrived during it. */
    boolean newMemberAdded;
    /** The timer of the running initial delayed join or pending-sync check, cancelled on change. */
    Timeout rebalanceTimer;

    ClassicGroup(String groupId, long nowMs) {
        this.groupId = groupId;
        this.stateTimestampMs = nowMs;
    }

    String groupId() {
        return groupId;
    }

    GroupState state() {
        return state;
    }

    boolean is(GroupState candidate) {
        return state == candidate;
    }

    long stateTimestampMs() {
        return stateTimestampMs;
    }

    void transitionTo(GroupState next, long nowMs) {
        if (!next.validPrevious().contains(state)) {
            throw new IllegalStateException("Group " + groupId + " cannot go from " + state + " to " + next);
        }
        state = next;
        stateTimestampMs = nowMs;
    }

    int generationId() {
        return generationId;
    }

    String protocolType() {
        return protocolType;
    }

    String protocolName() {
        return protocolName;
    }

    String leaderId() {
        return leaderId;
    }

    boolean isLeader(String memberId) {
        return memberId.equals(leaderId);
    }

    Collection<GroupMember> members() {
        return members.values();
    }

    boolean hasMembers() {
        return !members.isEmpty();
    }

    int size() {
        return members.size() + pendingMembers.size();
    }

    Optional<GroupMember> member(String memberId) {
        return Optional.ofNullable(members.get(memberId));
    }

    boolean hasMember(String memberId) {
        return members.containsKey(memberId);
    }

    Optional<String> staticMemberId(String groupInstanceId) {
        return Optional.ofNullable(staticMembers.get(groupInstanceId));
    }

    void add(GroupMember member) {
        if (members.isEmpty() && protocolType == null) {
            protocolType = member.protocolType();
        }
        members.put(member.memberId(), member);
        if (member.isStatic()) {
            staticMembers.put(member.groupInstanceId(), member.memberId());
        }
        pendingMembers.remove(member.memberId());
        if (leaderId == null) {
            leaderId = member.memberId();
        }
    }

    void remove(GroupMember member) {
        members.remove(member.memberId());
        if (member.isStatic() && member.memberId().equals(staticMembers.get(member.groupInstanceId()))) {
            staticMembers.remove(member.groupInstanceId());
        }
        if (member.memberId().equals(leaderId)) {
            leaderId = members.values().stream().filter(GroupMember::isAwaitingJoin).findFirst()
                    .or(() -> members.values().stream().findFirst())
                    .map(GroupMember::memberId).orElse(null);
        }
    }

    /** Gives a static member a new member id; the old id is fenced from then on. */
    void replaceStaticMember(GroupMember member, String newMemberId) {
        String oldMemberId = member.memberId();
        members.remove(oldMemberId);
        member.replaceMemberId(newMemberId);
        members.put(newMemberId, member);
        staticMembers.put(member.groupInstanceId(), newMemberId);
        if (oldMemberId.equals(leaderId)) {
            leaderId = newMemberId;
        }
    }

    boolean isPending(String memberId) {
        return pendingMembers.containsKey(memberId);
    }

    void addPending(String memberId, Timeout expiry) {
        pendingMembers.put(memberId, expiry);
    }

    boolean removePending(String memberId) {
        Timeout expiry = pendingMembers.remove(memberId);
        if (expiry != null) {
            expiry.cancel();
            return true;
        }
        return false;
    }

    void clearPending() {
        pendingMembers.values().forEach(Timeout::cancel);
        pendingMembers.clear();
    }

    /** Whether every known member has sent its JoinGroup for this rebalance and no new member is pending. */
    boolean allMembersJoined() {
        return pendingMembers.isEmpty() && members.values().stream().allMatch(GroupMember::isAwaitingJoin);
    }

    /** The longest rebalance timeout among members: how long a rebalance may wait for them. */
    int rebalanceTimeoutMs() {
        return members.values().stream().mapToInt(GroupMember::rebalanceTimeoutMs).max().orElse(0);
    }

    /** Whether a joining member's protocols fit this group: same type, and one protocol every member supports. */
    boolean supports(String joiningProtocolType, List<JoinGroupCodec.Protocol> protocols) {
        if (joiningProtocolType == null || joiningProtocolType.isEmpty() || protocols.isEmpty()) {
            return false;
        }
        if (members.isEmpty()) {
            return protocolType == null || protocolType.isEmpty() || protocolType.equals(joiningProtocolType)
                    || state == GroupState.EMPTY;
        }
        if (!joiningProtocolType.equals(protocolType)) {
            return false;
        }
        Set<String> offered = new HashSet<>();
        protocols.forEach(p -> offered.add(p.name()));
        offered.retainAll(candidateProtocols());
        return !offered.isEmpty();
    }

    /** Protocols every current member supports. */
    Set<String> candidateProtocols() {
        Set<String> candidates = null;
        for (GroupMember member : members.values()) {
            if (candidates == null) {
                candidates = new HashSet<>(member.protocols().keySet());
            } else {
                candidates.retainAll(member.protocols().keySet());
            }
        }
        return candidates == null ? Set.of() : candidates;
    }

    /** The protocol most members prefer among those all support, as Kafka's classic coordinator votes. */
    String selectProtocol() {
        Set<String> candidates = candidateProtocols();
        Map<String, Integer> votes = new LinkedHashMap<>();
        for (GroupMember member : members.values()) {
            votes.merge(member.vote(candidates), 1, Integer::sum);
        }
        return votes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElseThrow(() -> new IllegalStateException("no protocol for group " + groupId));
    }

    /** Starts the next generation once a rebalance's joins are in. */
    void initNextGeneration(long nowMs) {
        generationId++;
        if (members.isEmpty()) {
            protocolName = null;
            transitionTo(GroupState.EMPTY, nowMs);
        } else {
            protocolName = selectProtocol();
            transitionTo(GroupState.COMPLETING_REBALANCE, nowMs);
        }
    }

    /** Restores what the offsets topic recorded of this group (members come back without open requests). */
    void restore(GroupRecords.GroupValue value) {
        members.clear();
        staticMembers.clear();
        protocolType = value.protocolType() == null || value.protocolType().isEmpty() ? null : value.protocolType();
        generationId = value.generation();
        protocolName = value.protocol();
        leaderId = value.leader();
        stateTimestampMs = value.currentStateTimestampMs();
        for (GroupRecords.MemberValue m : value.members()) {
            GroupMember member = GroupMember.restored(m, protocolType, protocolName);
            members.put(member.memberId(), member);
            if (member.isStatic()) {
                staticMembers.put(member.groupInstanceId(), member.memberId());
            }
        }
        state = members.isEmpty() ? GroupState.EMPTY : GroupState.STABLE;
    }

    GroupRecords.GroupValue toValue() {
        return new GroupRecords.GroupValue(protocolType, generationId, protocolName, leaderId, stateTimestampMs,
                members.values().stream().map(m -> m.toValue(protocolName)).toList());
    }

    Map<OffsetKey, CommittedOffset> offsets() {
        return offsets;
    }

    /** Applies a commit unless a later record for the same partition was applied already. */
    void applyOffset(OffsetKey key, CommittedOffset committed) {
        CommittedOffset current = offsets.get(key);
        if (current == null || current.recordOffset() < committed.recordOffset()) {
            offsets.put(key, committed);
        }
    }

    void removeOffset(OffsetKey key, long recordOffset) {
        CommittedOffset current = offsets.get(key);
        if (current != null && current.recordOffset() < recordOffset) {
            offsets.remove(key);
        }
    }

    /** Whether a member with a consumer-protocol subscription is subscribed to {@code topic}. */
    boolean isSubscribedTo(String topic) {
        if (members.isEmpty() || protocolName == null
                || !ConsumerSubscriptions.CONSUMER_PROTOCOL_TYPE.equals(protocolType)) {
            return false;
        }
        for (GroupMember member : members.values()) {
            var topics = ConsumerSubscriptions.topics(member.metadata(protocolName));
            if (topics.isEmpty() || topics.get().contains(topic)) {
                return true;
            }
        }
        return false;
    }
}
