package io.millrace.broker.handler.admin;

import io.millrace.broker.BrokerServices;
import io.millrace.broker.network.ApiHandler;
import io.millrace.broker.network.RequestContext;
import io.millrace.broker.replica.Partition;
import io.millrace.broker.replica.ReplicaManager;
import io.millrace.broker.replica.TopicPartition;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.ErrorMapper;
import io.millrace.protocol.MillraceException;
import io.millrace.protocol.codec.DeleteRecordsCodec;
import io.millrace.protocol.codec.DeleteRecordsCodec.PartitionRequest;
import io.millrace.protocol.codec.DeleteRecordsCodec.PartitionResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * DeleteRecords on the partitions this node leads: moves each log start offset to the requested
 * offset ({@link DeleteRecordsCodec#HIGH_WATERMARK} meaning the high watermark) and answers with
 * the new low watermark. Kafka waits until every follower has moved its log start too; here the
 * answer is the leader's, and followers learn the new log start from their fetches.
 */
public final class DeleteRecordsHandler implements ApiHandler<DeleteRecordsCodec.Request, DeleteRecordsCodec.Response> {

    private final DeleteRecordsCodec codec = new DeleteRecordsCodec();
    private final ReplicaManager replicaManager;
    private final Executor blockingIo;

    public DeleteRecordsHandler(BrokerServices services) {
        this.replicaManager = services.replicaManager();
        this.blockingIo = services.blockingIo();
    }

    @Override
    public DeleteRecordsCodec codec() {
        return codec;
    }

    @Override
    public CompletionStage<DeleteRecordsCodec.Response> handle(RequestContext context, DeleteRecordsCodec.Request request) {
        return CompletableFuture.supplyAsync(() -> deleteRecords(request), blockingIo);
    }

    /** Moves log start offsets; deleting whole segments touches files, so this runs on the blocking-I/O executor. */
    private DeleteRecordsCodec.Response deleteRecords(DeleteRecordsCodec.Request request) {
        List<DeleteRecordsCodec.TopicResult> topics = new ArrayList<>(request.topics().size());
        for (DeleteRecordsCodec.TopicRequest topic : request.topics()) {
            List<PartitionResult> partitions = new ArrayList<>(topic.partitions().size());
            for (PartitionRequest p : topic.partitions()) {
                partitions.add(deleteRecords(new TopicPartition(topic.name(), p.partition()), p.offset()));
            }
            topics.add(new DeleteRecordsCodec.TopicResult(topic.name(), partitions));
        }
        return new DeleteRecordsCodec.Response(topics);
    }

    private PartitionResult deleteRecords(TopicPartition tp, long requestedOffset) {
        try {
            Partition partition = replicaManager.partitionOrThrow(tp);
            partition.leaderStateOrThrow();
            long offset = requestedOffset == DeleteRecordsCodec.HIGH_WATERMARK
                    ? partition.highWatermark() : requestedOffset;
            if (offset < 0) {
                throw new MillraceException(ErrorCode.OFFSET_OUT_OF_RANGE,
                        "Cannot delete records of " + tp + " before negative offset " + requestedOffset);
            }
            return new PartitionResult(tp.partition(), partition.log().deleteRecordsBefore(offset), ErrorCode.NONE);
        } catch (RuntimeException e) {
            return PartitionResult.failed(tp.partition(), ErrorMapper.codeOf(e));
        }
    }
}
