package io.millrace.broker.group;

import io.millrace.broker.network.NamedThreadFactory;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.MillraceException;
import io.millrace.protocol.Time;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator shards this node runs, one per {@code __consumer_offsets} partition it leads:
 * loading a shard by replaying its partition on the loader thread, unloading it when leadership
 * moves away, and finding the active shard of a group.
 *
 * <p>Thread-safety: the shard map is concurrent and read without a lock. Leadership changes and the
 * end of a load synchronize on the coordinator's monitor, so a load that finishes after its shard
 * was unloaded is dropped. Unloading takes each group's monitor in turn. Replays run on the single
 * loader thread, which also runs other work that must not block its caller.
 */
final class GroupShards {

    // Logs under the coordinator's name: operators follow group coordination through that one logger.
    private static final Logger log = LoggerFactory.getLogger(GroupCoordinator.class);

    private final GroupConfig config;
    private final Time time;
    private final GroupLog groupLog;
    private final GroupRebalancer rebalancer;
    /** The {@link GroupCoordinator} itself: its monitor serialises leadership changes with finished loads. */
    private final Object coordinatorMonitor;
    private final ConcurrentHashMap<Integer, CoordinatorShard> shards = new ConcurrentHashMap<>();
    private final ExecutorService loader = Executors.newSingleThreadExecutor(new NamedThreadFactory("millrace-group-loader"));

    GroupShards(GroupConfig config, Time time, GroupLog groupLog, GroupRebalancer rebalancer, Object coordinatorMonitor) {
        this.config = config;
        this.time = time;
        this.groupLog = groupLog;
        this.rebalancer = rebalancer;
        this.coordinatorMonitor = coordinatorMonitor;
    }

    /**
     * Brings the loaded shards in line with the offsets-topic partitions this node now leads: new
     * ones are replayed on the loader thread, lost ones are unloaded (their members' waiting
     * requests answered with NOT_COORDINATOR). Ignored once {@link #close()} has begun: a metadata
     * update arriving during shutdown must not register shards that nothing would load.
     */
    void onLeadershipChange(Set<Integer> ledPartitions) {
        synchronized (coordinatorMonitor) {
            if (isClosed()) {
                return;
            }
            for (Integer partition : ledPartitions) {
                if (!shards.containsKey(partition)) {
                    CoordinatorShard shard = new CoordinatorShard(partition);
                    shards.put(partition, shard);
                    loader.execute(() -> load(shard));
                }
            }
            unloadShardsNotIn(ledPartitions);
        }
    }

    /** Removes and unloads every shard whose partition is not in {@code kept}; under the coordinator monitor. */
    private void unloadShardsNotIn(Set<Integer> kept) {
        for (CoordinatorShard shard : List.copyOf(shards.values())) {
            if (!kept.contains(shard.partition())) {
                shards.remove(shard.partition());
                unload(shard);
            }
        }
    }

    /** Whether the shard for {@code partition} is loaded and serving. */
    boolean isActive(int partition) {
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
        synchronized (coordinatorMonitor) {
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
                        rebalancer.scheduleSessionExpiry(group, member);
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
                    GroupRebalancer.cancelSessionExpiry(member);
                    GroupRebalancer.failJoin(member, ErrorCode.NOT_COORDINATOR);
                    GroupRebalancer.failSync(member, ErrorCode.NOT_COORDINATOR);
                }
                group.clearPending();
                rebalancer.cancelRebalanceTimer(group);
                group.transitionTo(GroupState.DEAD, time.milliseconds());
            }
            rebalancer.maybeCompleteJoin(group.groupId());
        }
        shard.groups.clear();
    }

    /** The active shard of {@code groupId}, or the error a client should get instead. */
    CoordinatorShard shardOf(String groupId) {
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

    /** Every shard this node runs, in any status: a live view of the shard map. */
    Collection<CoordinatorShard> all() {
        return shards.values();
    }

    /**
     * Runs {@code task} on the loader thread, after the loads queued before it; once {@link #close()}
     * has begun, drops it (the groups it would change are being unloaded).
     */
    void executeOnLoader(Runnable task) {
        try {
            loader.execute(task);
        } catch (RejectedExecutionException closing) {
            // close() shut the loader down between the caller's isClosed() check and this call.
        }
    }

    /** Whether {@link #close()} has begun; no more work may be queued on the loader thread then. */
    boolean isClosed() {
        return loader.isShutdown();
    }

    /**
     * Stops the loader and unloads every shard. Each shard leaves the map under the coordinator's
     * monitor before it is unloaded, as on a leadership loss, so a load finishing meanwhile finds
     * its shard gone and drops what it read instead of activating it after the unload.
     */
    void close() {
        synchronized (coordinatorMonitor) {
            loader.shutdownNow();
            unloadShardsNotIn(Set.of());
        }
    }
}
