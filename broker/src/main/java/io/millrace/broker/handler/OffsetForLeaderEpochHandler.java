package io.millrace.broker.handler;

import io.millrace.broker.network.ApiHandler;
import io.millrace.broker.network.RequestContext;
import io.millrace.broker.replica.FetchService;
import io.millrace.broker.replica.Partition;
import io.millrace.broker.replica.ReplicaManager;
import io.millrace.broker.replica.TopicPartition;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.ErrorMapper;
import io.millrace.protocol.codec.OffsetForLeaderEpochCodec;
import io.millrace.protocol.codec.OffsetForLeaderEpochCodec.PartitionRequest;
import io.millrace.protocol.codec.OffsetForLeaderEpochCodec.PartitionResponse;
import io.millrace.protocol.codec.OffsetForLeaderEpochCodec.TopicRequest;
import io.millrace.protocol.codec.OffsetForLeaderEpochCodec.TopicResponse;
import io.millrace.storage.EpochEndOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * OffsetForLeaderEpoch, answered by the leader from its leader-epoch cache: the largest epoch not
 * above the requested one, and where it ended. Consumers use it to detect log truncation after a
 * leader change; followers use it to truncate before they fetch.
 */
public final class OffsetForLeaderEpochHandler
        implements ApiHandler<OffsetForLeaderEpochCodec.Request, OffsetForLeaderEpochCodec.Response> {

    private final OffsetForLeaderEpochCodec codec = new OffsetForLeaderEpochCodec();
    private final ReplicaManager replicaManager;

    public OffsetForLeaderEpochHandler(ReplicaManager replicaManager) {
        this.replicaManager = replicaManager;
    }

    @Override
    public OffsetForLeaderEpochCodec codec() {
        return codec;
    }

    @Override
    public CompletionStage<OffsetForLeaderEpochCodec.Response> handle(RequestContext context,
                                                                    OffsetForLeaderEpochCodec.Request request) {
        List<TopicResponse> topics = new ArrayList<>();
        for (TopicRequest topic : request.topics()) {
            List<PartitionResponse> partitions = new ArrayList<>();
            for (PartitionRequest p : topic.partitions()) {
                partitions.add(lookUp(new TopicPartition(topic.name(), p.partition()), p));
            }
            topics.add(new TopicResponse(topic.name(), partitions));
        }
        return CompletableFuture.completedFuture(new OffsetForLeaderEpochCodec.Response(topics));
    }

    private PartitionResponse lookUp(TopicPartition tp, PartitionRequest request) {
        try {
            Partition partition = replicaManager.partitionOrThrow(tp);
            int leaderEpoch = partition.leaderStateOrThrow().leaderEpoch();
            FetchService.checkLeaderEpoch(tp, request.currentLeaderEpoch(), leaderEpoch);
            EpochEndOffset end = partition.log().endOffsetForEpoch(request.leaderEpoch());
            return new PartitionResponse(request.partition(), ErrorCode.NONE, end.leaderEpoch(), end.endOffset());
        } catch (RuntimeException failure) {
            return PartitionResponse.failed(request.partition(), ErrorMapper.codeOf(failure));
        }
    }
}
