package io.millrace.broker.handler;

import io.millrace.broker.network.ApiHandler;
import io.millrace.broker.network.RequestContext;
import io.millrace.broker.replica.FetchService;
import io.millrace.broker.replica.Partition;
import io.millrace.broker.replica.ReplicaManager;
import io.millrace.broker.replica.ReplicaState;
import io.millrace.broker.replica.TopicPartition;
import io.millrace.protocol.ErrorMapper;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.codec.ListOffsetsCodec;
import io.millrace.protocol.codec.ListOffsetsCodec.PartitionRequest;
import io.millrace.protocol.codec.ListOffsetsCodec.PartitionResponse;
import io.millrace.protocol.codec.ListOffsetsCodec.TopicRequest;
import io.millrace.protocol.codec.ListOffsetsCodec.TopicResponse;
import io.millrace.storage.PartitionLog;
import io.millrace.storage.TimestampOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * ListOffsets, answered by the partition leader. Only offsets below the high watermark are
 * visible, so a consumer never positions itself on a record it could not yet fetch. There is no
 * tiered storage, so the tiered and pending-upload lookups find nothing.
 */
public final class ListOffsetsHandler implements ApiHandler<ListOffsetsCodec.Request, ListOffsetsCodec.Response> {

    private final ListOffsetsCodec codec = new ListOffsetsCodec();
    private final ReplicaManager replicaManager;

    public ListOffsetsHandler(ReplicaManager replicaManager) {
        this.replicaManager = replicaManager;
    }

    @Override
    public ListOffsetsCodec codec() {
        return codec;
    }

    @Override
    public CompletionStage<ListOffsetsCodec.Response> handle(RequestContext context, ListOffsetsCodec.Request request) {
        List<TopicResponse> topics = new ArrayList<>();
        for (TopicRequest topic : request.topics()) {
            List<PartitionResponse> partitions = new ArrayList<>();
            for (PartitionRequest p : topic.partitions()) {
                partitions.add(lookUp(new TopicPartition(topic.name(), p.partition()), p));
            }
            topics.add(new TopicResponse(topic.name(), partitions));
        }
        return CompletableFuture.completedFuture(new ListOffsetsCodec.Response(topics));
    }

    private PartitionResponse lookUp(TopicPartition tp, PartitionRequest request) {
        try {
            Partition partition = replicaManager.partitionOrThrow(tp);
            ReplicaState.Leader leader = partition.leaderStateOrThrow();
            FetchService.checkLeaderEpoch(tp, request.currentLeaderEpoch(), leader.leaderEpoch());
            PartitionLog log = partition.log();
            long highWatermark = partition.highWatermark();
            long timestamp = request.timestamp();
            if (timestamp == ListOffsetsCodec.EARLIEST_TIMESTAMP || timestamp == ListOffsetsCodec.EARLIEST_LOCAL_TIMESTAMP) {
                return found(request, -1, log.logStartOffset(), -1);
            }
            if (timestamp == ListOffsetsCodec.LATEST_TIMESTAMP) {
                return found(request, -1, highWatermark, log.latestEpoch());
            }
            Optional<TimestampOffset> match = timestamp == ListOffsetsCodec.MAX_TIMESTAMP ? log.offsetOfMaxTimestamp()
                    : timestamp >= 0 ? log.offsetForTimestamp(timestamp) : Optional.empty();
            return match.filter(m -> m.offset() < highWatermark)
                    .map(m -> found(request, m.timestampMs(), m.offset(), -1))
                    .orElseGet(() -> found(request, -1, -1, -1));
        } catch (RuntimeException failure) {
            return PartitionResponse.failed(request.partition(), ErrorMapper.codeOf(failure));
        }
    }

    private static PartitionResponse found(PartitionRequest request, long timestamp, long offset, int leaderEpoch) {
        return new PartitionResponse(request.partition(), ErrorCode.NONE, timestamp, offset, leaderEpoch);
    }
}
