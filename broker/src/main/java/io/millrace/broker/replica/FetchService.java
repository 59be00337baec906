package io.millrace.broker.replica;

import io.millrace.broker.purgatory.DelayedOperation;
import io.millrace.broker.purgatory.Purgatory;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.ErrorMapper;
import io.millrace.protocol.FileSlice;
import io.millrace.protocol.MillraceException;
import io.millrace.storage.FetchData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The fetch path. Reads each partition up to its high watermark as zero-copy file slices, in the
 * request's partition order, until {@code maxBytes} is used up; every partition that has data
 * returns at least one whole batch, even one larger than the limits, so no batch size can stall a
 * consumer (seed 003). If fewer than {@code minBytes} are available the fetch waits in the fetch
 * purgatory, woken by high-watermark moves, until enough arrived or {@code maxWaitMs} passed.
 *
 * <p>Thread-safety: safe for concurrent use by every event loop.
 */
public final class FetchService {

    /** Request-wide fetch settings. */
    public record FetchParams(long maxWaitMs, int minBytes, int maxBytes) {
    }

    /** One partition to read. {@code currentLeaderEpoch} is -1 when the client did not send one. */
    public record PartitionFetch(TopicPartition topicPartition, long fetchOffset, int partitionMaxBytes,
                                 int currentLeaderEpoch) {
    }

    /** What one partition returned; {@code records} is null when there is nothing to send. */
    public record PartitionData(TopicPartition topicPartition, ErrorCode error, String errorMessage,
                                long highWatermark, long lastStableOffset, long logStartOffset, FileSlice records) {
        public int sizeBytes() {
            return records == null ? 0 : records.sizeBytes();
        }
    }

    private final ReplicaManager replicaManager;
    private final Purgatory<TopicPartition> purgatory;

    public FetchService(ReplicaManager replicaManager, Purgatory<TopicPartition> purgatory) {
        this.replicaManager = replicaManager;
        this.purgatory = purgatory;
    }

    public CompletableFuture<List<PartitionData>> fetch(FetchParams params, List<PartitionFetch> partitions) {
        List<PartitionData> now = read(params, partitions);
        if (params.maxWaitMs() <= 0 || partitions.isEmpty() || isEnough(params, now)) {
            return CompletableFuture.completedFuture(now);
        }
        CompletableFuture<List<PartitionData>> done = new CompletableFuture<>();
        List<TopicPartition> keys = partitions.stream().map(PartitionFetch::topicPartition).toList();
        purgatory.tryCompleteElseWatch(new DelayedFetch(params, partitions, done), keys, params.maxWaitMs());
        return done;
    }

    private static boolean isEnough(FetchParams params, List<PartitionData> data) {
        int bytes = 0;
        for (PartitionData partition : data) {
            if (partition.error() != ErrorCode.NONE) {
                return true;
            }
            bytes += partition.sizeBytes();
        }
        return bytes >= Math.max(1, params.minBytes());
    }

    private List<PartitionData> read(FetchParams params, List<PartitionFetch> partitions) {
        List<PartitionData> result = new ArrayList<>(partitions.size());
        long remaining = params.maxBytes();
        for (PartitionFetch fetch : partitions) {
            PartitionData data = readPartition(fetch, remaining);
            remaining -= data.sizeBytes();
            result.add(data);
        }
        return result;
    }

    private PartitionData readPartition(PartitionFetch fetch, long remainingBytes) {
        TopicPartition tp = fetch.topicPartition();
        try {
            Partition partition = replicaManager.partitionOrThrow(tp);
            ReplicaState.Leader leader = partition.leaderStateOrThrow();
            checkLeaderEpoch(tp, fetch.currentLeaderEpoch(), leader.leaderEpoch());
            long highWatermark = partition.highWatermark();
            if (remainingBytes <= 0) {
                return new PartitionData(tp, ErrorCode.NONE, null, highWatermark, highWatermark,
                        partition.log().logStartOffset(), null);
            }
            int limit = (int) Math.min(remainingBytes, Math.max(0, fetch.partitionMaxBytes()));
            FetchData data = partition.log().read(fetch.fetchOffset(), limit, highWatermark, true);
            FileSlice records = data.records() == null || data.records().sizeBytes() == 0 ? null : data.records();
            return new PartitionData(tp, ErrorCode.NONE, null, highWatermark, highWatermark, data.logStartOffset(),
                    records);
        } catch (RuntimeException failure) {
            return failed(tp, failure);
        }
    }

    private PartitionData failed(TopicPartition tp, Throwable failure) {
        long highWatermark = -1;
        long logStartOffset = -1;
        var partition = replicaManager.partition(tp);
        if (partition.isPresent() && ErrorMapper.codeOf(failure) == ErrorCode.OFFSET_OUT_OF_RANGE) {
            highWatermark = partition.get().highWatermark();
            logStartOffset = partition.get().log().logStartOffset();
        }
        return new PartitionData(tp, ErrorMapper.codeOf(failure), failure.getMessage(), highWatermark, highWatermark,
                logStartOffset, null);
    }

    /** Kafka's current-leader-epoch fencing, shared by Fetch, ListOffsets and OffsetForLeaderEpoch. */
    public static void checkLeaderEpoch(TopicPartition tp, int requestEpoch, int leaderEpoch) {
        if (requestEpoch < 0) {
            return;
        }
        if (requestEpoch < leaderEpoch) {
            throw new MillraceException(ErrorCode.FENCED_LEADER_EPOCH, "The leader epoch " + requestEpoch
                    + " in the request for " + tp + " is older than the current leader epoch " + leaderEpoch);
        }
        if (requestEpoch > leaderEpoch) {
            throw new MillraceException(ErrorCode.UNKNOWN_LEADER_EPOCH, "The leader epoch " + requestEpoch
                    + " in the request for " + tp + " is newer than the current leader epoch " + leaderEpoch);
        }
    }

    /** A fetch waiting for {@code minBytes} to become available. */
    private final class DelayedFetch extends DelayedOperation {
        private final FetchParams params;
        private final List<PartitionFetch> partitions;
        private final CompletableFuture<List<PartitionData>> done;

        DelayedFetch(FetchParams params, List<PartitionFetch> partitions, CompletableFuture<List<PartitionData>> done) {
            this.params = params;
            this.partitions = partitions;
            this.done = done;
        }

        @Override
        public boolean tryComplete() {
            long available = 0;
            for (PartitionFetch fetch : partitions) {
                var partition = replicaManager.partition(fetch.topicPartition());
                if (partition.isEmpty() || !(partition.get().state() instanceof ReplicaState.Leader)) {
                    return forceComplete();
                }
                long highWatermark = partition.get().highWatermark();
                if (fetch.fetchOffset() > partition.get().log().logEndOffset()
                        || fetch.fetchOffset() < partition.get().log().logStartOffset()) {
                    return forceComplete();
                }
                if (highWatermark > fetch.fetchOffset()) {
                    // A whole batch is always at least 61 bytes; the exact count comes from the read on completion.
                    available += estimateBytes(partition.get(), fetch.fetchOffset(), highWatermark);
                }
            }
            return available >= Math.max(1, params.minBytes()) && forceComplete();
        }

        private long estimateBytes(Partition partition, long fetchOffset, long highWatermark) {
            return partition.log().read(fetchOffset, params.maxBytes(), highWatermark, true).records().sizeBytes();
        }

        @Override
        protected void onComplete() {
            done.complete(read(params, partitions));
        }
    }
}
