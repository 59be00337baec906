package io.millrace.broker.group;

import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.ErrorMapper;
import io.millrace.protocol.MillraceException;
import io.millrace.protocol.Time;
import io.millrace.protocol.codec.OffsetCommitCodec;
import io.millrace.protocol.codec.OffsetDeleteCodec;
import io.millrace.protocol.codec.OffsetFetchCodec;
import io.millrace.protocol.group.ConsumerSubscriptions;
import io.millrace.protocol.records.KeyValueRecords;
import io.netty.util.Timer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offset store of classic groups: OffsetCommit, OffsetFetch and OffsetDelete, the periodic
 * expiry of offsets ({@code offsets.retention.minutes}), the removal of offsets of deleted topics,
 * and the tombstones that delete a whole group. It also maps a failed write to the offsets topic to
 * the error a client understands.
 *
 * <p>Thread-safety: each call works on one group at a time holding that group's monitor; a write
 * is applied to the group, again under its monitor, once the offsets partition acknowledges it.
 * Offset expiry runs on the timer thread, the removal of deleted topics' offsets on the loader
 * thread.
 */
final class GroupOffsets {

    // Logs under the coordinator's name: operators follow group coordination through that one logger.
    private static final Logger log = LoggerFactory.getLogger(GroupCoordinator.class);

    private final GroupConfig config;
    private final Time time;
    private final Timer timer;
    private final GroupLog groupLog;
    private final GroupMetrics metrics;
    private final GroupShards shards;
    private final GroupRebalancer rebalancer;

    GroupOffsets(GroupConfig config, Time time, Timer timer, GroupLog groupLog, GroupMetrics metrics,
                 GroupShards shards, GroupRebalancer rebalancer) {
        this.config = config;
        this.time = time;
        this.timer = timer;
        this.groupLog = groupLog;
        this.metrics = metrics;
        this.shards = shards;
        this.rebalancer = rebalancer;
    }

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
    CompletableFuture<OffsetCommitCodec.Response> commitOffsets(OffsetCommitCodec.Request request,
                                                                Predicate<String> topicExists) {
        ErrorCode groupError = ErrorCode.NONE;
        ClassicGroup group = null;
        if (request.groupId() == null || request.groupId().isEmpty()) {
            groupError = ErrorCode.INVALID_GROUP_ID;
        } else {
            try {
                CoordinatorShard shard = shards.shardOf(request.groupId());
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
        ErrorCode invalid = GroupMembership.validateMember(group, memberId, request.groupInstanceId());
        if (invalid != ErrorCode.NONE) {
            return invalid;
        }
        if (request.generationId() != group.generationId()) {
            return ErrorCode.ILLEGAL_GENERATION;
        }
        if (group.is(GroupState.COMPLETING_REBALANCE)) {
            return ErrorCode.REBALANCE_IN_PROGRESS;
        }
        group.member(memberId).ifPresent(member -> rebalancer.scheduleSessionExpiry(group, member));
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

    private static ErrorCode errorOf(Throwable failure) {
        return ErrorMapper.codeOf(failure);
    }

    /** Kafka's mapping of a failed write to the offsets topic to what a committing client understands. */
    static ErrorCode commitError(Throwable failure) {
        return switch (errorOf(failure)) {
            case UNKNOWN_TOPIC_OR_PARTITION, NOT_ENOUGH_REPLICAS, NOT_ENOUGH_REPLICAS_AFTER_APPEND, REQUEST_TIMED_OUT ->
                    ErrorCode.COORDINATOR_NOT_AVAILABLE;
            case NOT_LEADER_OR_FOLLOWER, KAFKA_STORAGE_ERROR -> ErrorCode.NOT_COORDINATOR;
            case MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE, INVALID_FETCH_SIZE -> ErrorCode.INVALID_COMMIT_OFFSET_SIZE;
            default -> ErrorCode.UNKNOWN_SERVER_ERROR;
        };
    }

    /** The same mapping for group metadata writes (JoinGroup, SyncGroup). */
    static ErrorCode coordinatorError(Throwable failure) {
        ErrorCode error = commitError(failure);
        return error == ErrorCode.INVALID_COMMIT_OFFSET_SIZE ? ErrorCode.UNKNOWN_SERVER_ERROR : error;
    }

    OffsetFetchCodec.GroupResult fetchOffsets(OffsetFetchCodec.GroupRequest request) {
        ClassicGroup group;
        try {
            group = shards.shardOf(request.groupId()).groups.get(request.groupId());
        } catch (MillraceException e) {
            return new OffsetFetchCodec.GroupResult(request.groupId(), e.code(), List.of());
        }
        List<OffsetFetchCodec.TopicResult> topics = new ArrayList<>();
        if (group == null) {
            if (request.topics() != null) {
                for (OffsetFetchCodec.TopicRequest topic : request.topics()) {
                    topics.add(new OffsetFetchCodec.TopicResult(topic.name(), topic.topicId(),
                            topic.partitions().stream().map(GroupOffsets::noOffset).toList()));
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

    CompletableFuture<OffsetDeleteCodec.Response> deleteOffsets(OffsetDeleteCodec.Request request) {
        ClassicGroup group;
        try {
            group = shards.shardOf(request.groupId()).groups.get(request.groupId());
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

    /** Writes tombstones for a group and all its offsets; once written the group is dead and forgotten. */
    CompletableFuture<Long> writeGroupTombstones(CoordinatorShard shard, ClassicGroup group) {
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

    // ---------------------------------------------------------------- retention

    void scheduleOffsetExpiry() {
        timer.newTimeout(t -> {
            try {
                expireOffsets();
            } catch (RuntimeException failure) {
                log.warn("Offset expiration failed", failure);
            } finally {
                if (!shards.isClosed()) {
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
        for (CoordinatorShard shard : shards.all()) {
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
                        deleteOffsets(shard, group, expired, "expired");
                    }
                }
            }
        }
    }

    /**
     * Deleted topics take their committed offsets with them, as in Kafka: tombstones are written for
     * every group of an active shard that has offsets of those topics, on the loader thread.
     */
    void onTopicsDeleted(Set<String> topics) {
        if (!topics.isEmpty() && !shards.isClosed()) {
            // Called on the metadata apply thread, which must not wait for a log append.
            shards.executeOnLoader(() -> removeOffsetsOf(topics));
        }
    }

    private void removeOffsetsOf(Set<String> topics) {
        for (CoordinatorShard shard : shards.all()) {
            if (shard.status() != CoordinatorShard.Status.ACTIVE) {
                continue;
            }
            for (ClassicGroup group : shard.groups.values()) {
                synchronized (group) {
                    List<ClassicGroup.OffsetKey> gone = group.offsets().keySet().stream()
                            .filter(key -> topics.contains(key.topic())).toList();
                    if (!gone.isEmpty()) {
                        deleteOffsets(shard, group, gone, "of deleted topics");
                    }
                }
            }
        }
    }

    /**
     * Writes a tombstone for each of {@code keys} and removes the offsets once the tombstones are
     * acknowledged. A failed write leaves the offsets in place and is logged; expired ones are tried
     * again by the next expiry pass.
     */
    private void deleteOffsets(CoordinatorShard shard, ClassicGroup group, List<ClassicGroup.OffsetKey> keys,
                               String why) {
        List<KeyValueRecords.Entry> tombstones = keys.stream().map(key -> new KeyValueRecords.Entry(
                GroupRecords.offsetKey(group.groupId(), key.topic(), key.partition()), null)).toList();
        groupLog.append(shard.partition(), tombstones).whenComplete((first, failure) -> {
            if (failure != null) {
                log.warn("Group {}: could not write tombstones for {} offset(s) {}", group.groupId(), keys.size(),
                        why, failure);
                return;
            }
            synchronized (group) {
                long offset = first;
                for (ClassicGroup.OffsetKey key : keys) {
                    group.removeOffset(key, offset++);
                }
            }
        });
    }
}
