package io.millrace.broker.group;

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
import io.netty.util.Timer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

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
 * <p>This class is the coordinator's public face; the work is done by package-private parts:
 * {@link GroupShards} loads and unloads the shards, {@link GroupMembership} answers member
 * requests, {@link GroupRebalancer} runs the rebalance state machine and its timers,
 * {@link GroupOffsets} stores offsets, and {@link GroupAdmin} serves the admin and metrics views.
 *
 * <p>Thread-safety: each group is guarded by its own monitor; a call locks one group at a time.
 * Leadership changes and the end of a shard load synchronize on this coordinator's monitor.
 */
public final class GroupCoordinator implements AutoCloseable {

    /** The type ListGroups reports for every group this coordinator runs. */
    public static final String CLASSIC_GROUP_TYPE = "classic";

    private final GroupConfig config;
    private final GroupMetrics metrics;
    private final GroupShards shards;
    private final GroupMembership membership;
    private final GroupOffsets offsets;
    private final GroupAdmin admin;

    public GroupCoordinator(GroupConfig config, Time time, Timer timer, GroupLog groupLog, GroupMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        GroupRebalancer rebalancer = new GroupRebalancer(config, time, timer, groupLog, metrics);
        this.shards = new GroupShards(config, time, groupLog, rebalancer, this);
        this.membership = new GroupMembership(config, time, timer, shards, rebalancer);
        this.offsets = new GroupOffsets(config, time, timer, groupLog, metrics, shards, rebalancer);
        this.admin = new GroupAdmin(shards, offsets);
        offsets.scheduleOffsetExpiry();
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
    public void onLeadershipChange(Set<Integer> ledPartitions) {
        shards.onLeadershipChange(ledPartitions);
    }

    /** Whether the shard for {@code partition} is loaded and serving. */
    public boolean isActive(int partition) {
        return shards.isActive(partition);
    }

    // ---------------------------------------------------------------- membership

    public CompletableFuture<JoinGroupCodec.Response> joinGroup(JoinGroupCodec.Request request, short version,
                                                                String clientId, String clientHost) {
        return membership.joinGroup(request, version, clientId, clientHost);
    }

    public CompletableFuture<SyncGroupCodec.Response> syncGroup(SyncGroupCodec.Request request) {
        return membership.syncGroup(request);
    }

    public HeartbeatCodec.Response heartbeat(HeartbeatCodec.Request request) {
        return membership.heartbeat(request);
    }

    public LeaveGroupCodec.Response leaveGroup(LeaveGroupCodec.Request request) {
        return membership.leaveGroup(request);
    }

    // ---------------------------------------------------------------- offsets

    /**
     * Commits offsets; see {@link GroupOffsets#commitOffsets} for who may commit. Topics must already
     * be resolved to names.
     *
     * @param topicExists whether a topic exists, as the metadata image says
     */
    public CompletableFuture<OffsetCommitCodec.Response> commitOffsets(OffsetCommitCodec.Request request,
                                                                       Predicate<String> topicExists) {
        return offsets.commitOffsets(request, topicExists);
    }

    public OffsetFetchCodec.GroupResult fetchOffsets(OffsetFetchCodec.GroupRequest request) {
        return offsets.fetchOffsets(request);
    }

    public CompletableFuture<OffsetDeleteCodec.Response> deleteOffsets(OffsetDeleteCodec.Request request) {
        return offsets.deleteOffsets(request);
    }

    /** Runs one pass of offset expiry now, as the periodic check does; see {@link GroupOffsets#expireOffsets}. */
    void expireOffsets() {
        offsets.expireOffsets();
    }

    /**
     * Deleted topics take their committed offsets with them, as in Kafka: tombstones are written for
     * every group of an active shard that has offsets of those topics, on the loader thread.
     */
    public void onTopicsDeleted(Set<String> topics) {
        offsets.onTopicsDeleted(topics);
    }

    // ---------------------------------------------------------------- admin

    public DescribeGroupsCodec.Group describeGroup(String groupId) {
        return admin.describeGroup(groupId);
    }

    public ListGroupsCodec.Response listGroups(ListGroupsCodec.Request request) {
        return admin.listGroups(request);
    }

    public CompletableFuture<DeleteGroupsCodec.Result> deleteGroup(String groupId) {
        return admin.deleteGroup(groupId);
    }

    // ---------------------------------------------------------------- metrics

    /** Groups per state, over the loaded shards. */
    public Map<GroupState, Integer> groupCountsByState() {
        return admin.groupCountsByState();
    }

    /** Every committed offset of the loaded groups: group, topic, partition, offset. */
    public List<CommittedOffsetView> committedOffsets() {
        return admin.committedOffsets();
    }

    /** A committed offset, for the consumer-lag metric. */
    public record CommittedOffsetView(String groupId, String topic, int partition, long offset) {
    }

    @Override
    public void close() {
        shards.close();
    }
}
