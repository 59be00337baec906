package io.millrace.broker.replica;

import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.MillraceException;
import io.millrace.storage.AppendInfo;
import io.millrace.storage.FlushPolicy;
import io.millrace.storage.PartitionLog;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's replica of one partition: its log, its role ({@link ReplicaState}) and its high
 * watermark.
 *
 * <p>The high watermark is the minimum, over the in-sync replicas, of what each replica can
 * vouch for. Under the durable flush policy a replica vouches only for what it has fsynced, so
 * consumers never read a record that a power loss could take back; under the relaxed policy it
 * vouches for its log end offset, as Kafka does. With replication factor one the ISR is this
 * node alone and the high watermark follows the local log.
 *
 * <p>Thread-safety: role transitions are serialized by this object's lock; appends are serialized
 * by the log; the high watermark only moves forward under this object's lock and is read
 * lock-free from the log.
 */
public final class Partition {

    private static final Logger log = LoggerFactory.getLogger(Partition.class);

    private final TopicPartition topicPartition;
    private final PartitionLog partitionLog;
    private final FlushPolicy flushPolicy;
    private final Consumer<TopicPartition> onHighWatermarkAdvanced;
    private volatile ReplicaState state = new ReplicaState.Offline();

    public Partition(TopicPartition topicPartition, PartitionLog partitionLog, FlushPolicy flushPolicy,
                     Consumer<TopicPartition> onHighWatermarkAdvanced) {
        this.topicPartition = topicPartition;
        this.partitionLog = partitionLog;
        this.flushPolicy = flushPolicy;
        this.onHighWatermarkAdvanced = onHighWatermarkAdvanced;
        partitionLog.addFlushListener(durableEnd -> maybeAdvanceHighWatermark());
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public PartitionLog log() {
        return partitionLog;
    }

    public ReplicaState state() {
        return state;
    }

    public synchronized void transitionTo(ReplicaState next) {
        ReplicaState current = state;
        if (current.equals(next)) {
            return;
        }
        ReplicaState.checkTransition(current, next);
        state = next;
        if (next instanceof ReplicaState.Leader leader && !(current instanceof ReplicaState.Leader)) {
            log.debug("[Partition {} leader epoch {}] became leader", topicPartition, leader.leaderEpoch());
        }
        maybeAdvanceHighWatermark();
    }

    /** The leader epoch if this node leads the partition, else NOT_LEADER_OR_FOLLOWER. */
    public ReplicaState.Leader leaderStateOrThrow() {
        if (state instanceof ReplicaState.Leader leader) {
            return leader;
        }
        throw new MillraceException(ErrorCode.NOT_LEADER_OR_FOLLOWER,
                "This node is not the leader for partition " + topicPartition);
    }

    /**
     * Appends client batches as leader. With {@code acks=-1} the append is refused up front when the
     * ISR is smaller than {@code minInsyncReplicas}, so nothing is written that could not be
     * acknowledged.
     */
    public AppendInfo appendAsLeader(ByteBuffer records, short acks, int minInsyncReplicas) {
        ReplicaState.Leader leader = leaderStateOrThrow();
        if (acks == -1 && leader.isr().size() < minInsyncReplicas) {
            throw new MillraceException(ErrorCode.NOT_ENOUGH_REPLICAS, "The in-sync replica set of "
                    + topicPartition + " has " + leader.isr().size() + " member(s), below min.insync.replicas "
                    + minInsyncReplicas);
        }
        AppendInfo info = partitionLog.appendAsLeader(records, leader.leaderEpoch());
        if (flushPolicy == FlushPolicy.RELAXED) {
            maybeAdvanceHighWatermark();
        }
        return info;
    }

    public long highWatermark() {
        return partitionLog.highWatermark();
    }

    /** The offset up to which this replica vouches for its log; see the class comment. */
    long vouchedEndOffset() {
        return flushPolicy == FlushPolicy.DURABLE ? partitionLog.durableEndOffset() : partitionLog.logEndOffset();
    }

    /** Recomputes the high watermark; wakes waiters when it moved. */
    void maybeAdvanceHighWatermark() {
        boolean advanced = false;
        synchronized (this) {
            if (state instanceof ReplicaState.Leader leader && leader.isr().size() == 1) {
                long candidate = Math.min(vouchedEndOffset(), partitionLog.logEndOffset());
                if (candidate > partitionLog.highWatermark()) {
                    partitionLog.updateHighWatermark(candidate);
                    advanced = true;
                }
            }
        }
        if (advanced) {
            onHighWatermarkAdvanced.accept(topicPartition);
        }
    }
}
