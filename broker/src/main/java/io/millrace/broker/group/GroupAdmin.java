package io.millrace.broker.group;

import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.MillraceException;
import io.millrace.protocol.codec.DeleteGroupsCodec;
import io.millrace.protocol.codec.DescribeGroupsCodec;
import io.millrace.protocol.codec.ListGroupsCodec;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Administrative views and operations over the groups of the loaded shards: DescribeGroups,
 * ListGroups, DeleteGroups, and the per-state group counts and committed offsets that broker
 * metrics read.
 *
 * <p>Thread-safety: shards and groups are looked up without a lock; each group is read holding its
 * own monitor, one group at a time, except the per-state counts, which read each group's state
 * without it.
 */
final class GroupAdmin {

    private final GroupShards shards;
    private final GroupOffsets offsets;

    GroupAdmin(GroupShards shards, GroupOffsets offsets) {
        this.shards = shards;
        this.offsets = offsets;
    }

    DescribeGroupsCodec.Group describeGroup(String groupId) {
        ClassicGroup group;
        try {
            group = shards.shardOf(groupId).groups.get(groupId);
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

    ListGroupsCodec.Response listGroups(ListGroupsCodec.Request request) {
        Set<GroupState> states = new HashSet<>();
        for (String name : request.statesFilter()) {
            GroupState state = GroupState.parse(name);
            if (state != null) {
                states.add(state);
            }
        }
        boolean anyStateRequested = !request.statesFilter().isEmpty();
        boolean classicWanted = request.typesFilter().isEmpty()
                || request.typesFilter().stream().anyMatch(GroupCoordinator.CLASSIC_GROUP_TYPE::equalsIgnoreCase);
        List<ListGroupsCodec.Group> groups = new ArrayList<>();
        ErrorCode error = ErrorCode.NONE;
        for (CoordinatorShard shard : shards.all()) {
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
                            GroupCoordinator.CLASSIC_GROUP_TYPE));
                }
            }
        }
        return new ListGroupsCodec.Response(error, groups);
    }

    CompletableFuture<DeleteGroupsCodec.Result> deleteGroup(String groupId) {
        ClassicGroup group;
        CoordinatorShard shard;
        try {
            shard = shards.shardOf(groupId);
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
            return offsets.writeGroupTombstones(shard, group).handle((ignored, failure) ->
                    new DeleteGroupsCodec.Result(groupId,
                            failure == null ? ErrorCode.NONE : GroupOffsets.coordinatorError(failure)));
        }
    }

    // ---------------------------------------------------------------- metrics

    /** Groups per state, over the loaded shards. */
    Map<GroupState, Integer> groupCountsByState() {
        Map<GroupState, Integer> counts = new EnumMap<>(GroupState.class);
        for (GroupState state : GroupState.values()) {
            counts.put(state, 0);
        }
        for (CoordinatorShard shard : shards.all()) {
            for (ClassicGroup group : shard.groups.values()) {
                GroupState state;
                synchronized (group) {
                    state = group.state();
                }
                counts.merge(state, 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Every committed offset of the loaded groups: group, topic, partition, offset. */
    List<GroupCoordinator.CommittedOffsetView> committedOffsets() {
        List<GroupCoordinator.CommittedOffsetView> views = new ArrayList<>();
        for (CoordinatorShard shard : shards.all()) {
            for (ClassicGroup group : shard.groups.values()) {
                synchronized (group) {
                    group.offsets().forEach((key, committed) -> views.add(new GroupCoordinator.CommittedOffsetView(
                            group.groupId(), key.topic(), key.partition(), committed.offset())));
                }
            }
        }
        return views;
    }
}
