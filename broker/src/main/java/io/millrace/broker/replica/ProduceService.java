package io.millrace.broker.replica;

import io.millrace.broker.BrokerConfig;
import io.millrace.broker.purgatory.DelayedOperation;
import io.millrace.broker.purgatory.Purgatory;
import io.millrace.metadata.MetadataImage;
import io.millrace.metadata.TopicInfo;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.ErrorMapper;
import io.millrace.protocol.MillraceException;
import io.millrace.storage.AppendInfo;
import io.millrace.storage.FlushPolicy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The produce path: appends each partition's batches as leader and acknowledges according to
 * {@code acks} and the flush policy (DESIGN.md decision 7):
 * <ul>
 *   <li>acks=0: appended, nothing to wait for (the handler sends no response);</li>
 *   <li>acks=1: after the local append, and under the durable policy after the group-commit fsync
 *       that covers it;</li>
 *   <li>acks=all: after the high watermark passes the batch, which requires every in-sync replica
 *       to vouch for it (under the durable policy, to have fsynced it). Waits in the produce
 *       purgatory, never in a sleep.</li>
 * </ul>
 * Thread-safety: safe for concurrent use by every event loop.
 */
public final class ProduceService {

    /** What one partition's append came to. */
    public record PartitionResult(ErrorCode error, String errorMessage, long baseOffset, long logAppendTimeMs,
                                  long logStartOffset) {
        static PartitionResult failed(Throwable failure) {
            return new PartitionResult(ErrorMapper.codeOf(failure), failure.getMessage(), -1, -1, -1);
        }

        static PartitionResult appended(AppendInfo info) {
            return new PartitionResult(ErrorCode.NONE, null, info.firstOffset(), info.logAppendTimeMs(),
                    info.logStartOffset());
        }
    }

    private final BrokerConfig config;
    private final ReplicaManager replicaManager;
    private final Supplier<MetadataImage> image;
    private final Purgatory<TopicPartition> purgatory;

    public ProduceService(BrokerConfig config, ReplicaManager replicaManager, Supplier<MetadataImage> image,
                          Purgatory<TopicPartition> purgatory) {
        this.config = config;
        this.replicaManager = replicaManager;
        this.image = image;
        this.purgatory = purgatory;
    }

    /** Appends and completes with one result per partition, in the request's order. */
    public CompletableFuture<Map<TopicPartition, PartitionResult>> append(short acks, int timeoutMs,
                                                                         Map<TopicPartition, ByteBuffer> records) {
        if (acks != 0 && acks != 1 && acks != -1) {
            throw new MillraceException(ErrorCode.INVALID_REQUIRED_ACKS, "acks must be 0, 1 or -1, not " + acks);
        }
        Map<TopicPartition, PartitionResult> results = new LinkedHashMap<>();
        Map<TopicPartition, Long> awaiting = new LinkedHashMap<>();
        List<CompletableFuture<Void>> durable = new ArrayList<>();
        for (Map.Entry<TopicPartition, ByteBuffer> entry : records.entrySet()) {
            TopicPartition tp = entry.getKey();
            try {
                Partition partition = replicaManager.partitionOrThrow(tp);
                Optional<TopicInfo> topic = image.get().topic(tp.topic());
                ByteBuffer batches = topic.isPresent()
                        ? TopicCompression.apply(topic.get(), entry.getValue())
                        : entry.getValue();
                AppendInfo info = partition.appendAsLeader(batches, acks, minInsyncReplicas(topic));
                results.put(tp, PartitionResult.appended(info));
                if (acks == -1) {
                    awaiting.put(tp, info.lastOffset());
                } else if (acks == 1 && config.flushPolicy() == FlushPolicy.DURABLE) {
                    durable.add(partition.log().awaitDurable(info.lastOffset()));
                }
            } catch (RuntimeException failure) {
                results.put(tp, PartitionResult.failed(failure));
            }
        }
        if (!awaiting.isEmpty()) {
            CompletableFuture<Map<TopicPartition, PartitionResult>> done = new CompletableFuture<>();
            purgatory.tryCompleteElseWatch(new DelayedProduce(results, awaiting, done),
                    new ArrayList<>(awaiting.keySet()), timeoutMs);
            return done;
        }
        if (durable.isEmpty()) {
            return CompletableFuture.completedFuture(results);
        }
        return CompletableFuture.allOf(durable.toArray(CompletableFuture[]::new)).handle((ignored, failure) -> {
            if (failure != null) {
                results.replaceAll((tp, result) -> result.error() == ErrorCode.NONE
                        ? new PartitionResult(ErrorCode.KAFKA_STORAGE_ERROR, "fsync failed: " + failure.getMessage(), -1, -1, -1)
                        : result);
            }
            return results;
        });
    }

    private int minInsyncReplicas(Optional<TopicInfo> topic) {
        return topic
                .map((TopicInfo info) -> LogConfigs.minInsyncReplicas(info, config))
                .orElse(config.minInsyncReplicas());
    }

    /** An acks=all produce waiting for the high watermark of each of its partitions. */
    private final class DelayedProduce extends DelayedOperation {
        private final Map<TopicPartition, PartitionResult> results;
        private final Map<TopicPartition, Long> awaiting;
        private final CompletableFuture<Map<TopicPartition, PartitionResult>> done;

        DelayedProduce(Map<TopicPartition, PartitionResult> results, Map<TopicPartition, Long> awaiting,
                       CompletableFuture<Map<TopicPartition, PartitionResult>> done) {
            this.results = results;
            this.awaiting = awaiting;
            this.done = done;
        }

        @Override
        public boolean tryComplete() {
            for (Map.Entry<TopicPartition, Long> entry : awaiting.entrySet()) {
                if (!isSatisfied(entry.getKey(), entry.getValue())) {
                    return false;
                }
            }
            return forceComplete();
        }

        private boolean isSatisfied(TopicPartition tp, long lastOffset) {
            var partition = replicaManager.partition(tp);
            return partition.isEmpty()
                    || !(partition.get().state() instanceof ReplicaState.Leader)
                    || partition.get().highWatermark() > lastOffset;
        }

        @Override
        protected void onExpiration() {
            awaiting.forEach((tp, lastOffset) -> {
                if (!isSatisfied(tp, lastOffset)) {
                    results.put(tp, new PartitionResult(ErrorCode.REQUEST_TIMED_OUT,
                            "Timed out waiting for the in-sync replicas of " + tp, -1, -1, -1));
                }
            });
        }

        @Override
        protected void onComplete() {
            awaiting.forEach((tp, lastOffset) -> {
                var partition = replicaManager.partition(tp);
                boolean stillLeader = partition.isPresent() && partition.get().state() instanceof ReplicaState.Leader;
                if (!stillLeader && results.get(tp).error() == ErrorCode.NONE) {
                    results.put(tp, new PartitionResult(ErrorCode.NOT_LEADER_OR_FOLLOWER,
                            "Leadership of " + tp + " moved before the write was replicated", -1, -1, -1));
                }
            });
            done.complete(results);
        }
    }
}
