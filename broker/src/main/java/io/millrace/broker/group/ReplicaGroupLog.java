package io.millrace.broker.group;

import io.millrace.broker.replica.Partition;
import io.millrace.broker.replica.ProduceService;
import io.millrace.broker.replica.ReplicaManager;
import io.millrace.broker.replica.TopicPartition;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.FileSlice;
import io.millrace.protocol.MillraceException;
import io.millrace.protocol.Time;
import io.millrace.protocol.records.KeyValueRecords;
import io.millrace.storage.FetchData;
import io.millrace.storage.PartitionLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The coordinator's state on this node's replicas of {@code __consumer_offsets}: writes go through
 * the produce path with {@code acks=all}, so a commit is acknowledged exactly when a produce
 * would be (after the group-commit fsync under the durable policy); replay reads the local log.
 */
public final class ReplicaGroupLog implements GroupLog {

    private static final int READ_CHUNK_BYTES = 1024 * 1024;

    private final ReplicaManager replicaManager;
    private final ProduceService produce;
    private final Time time;
    private final int timeoutMs;

    public ReplicaGroupLog(ReplicaManager replicaManager, ProduceService produce, Time time, int timeoutMs) {
        this.replicaManager = replicaManager;
        this.produce = produce;
        this.time = time;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public CompletableFuture<Long> append(int partition, List<KeyValueRecords.Entry> entries) {
        TopicPartition tp = new TopicPartition(GroupConfig.OFFSETS_TOPIC, partition);
        ByteBuffer batch = KeyValueRecords.build(time.milliseconds(), entries);
        try {
            return produce.append((short) -1, timeoutMs, Map.of(tp, batch)).thenApply(results -> {
                ProduceService.PartitionResult result = results.get(tp);
                if (result.error() != ErrorCode.NONE) {
                    throw new MillraceException(result.error(), "Writing to " + tp + " failed: " + result.errorMessage());
                }
                return result.baseOffset();
            });
        } catch (RuntimeException failure) {
            return CompletableFuture.failedFuture(failure);
        }
    }

    @Override
    public void replay(int partition, KeyValueRecords.Visitor visitor) throws IOException {
        Partition replica = replicaManager.partitionOrThrow(new TopicPartition(GroupConfig.OFFSETS_TOPIC, partition));
        PartitionLog log = replica.log();
        long end = log.logEndOffset();
        long next = log.logStartOffset();
        while (next < end) {
            FetchData data = log.read(next, READ_CHUNK_BYTES, end, true);
            FileSlice slice = data.records();
            if (slice.sizeBytes() == 0) {
                break;
            }
            ByteBuffer buffer = ByteBuffer.allocate(slice.sizeBytes());
            long position = slice.position();
            while (buffer.hasRemaining()) {
                int read = slice.channel().read(buffer, position + buffer.position());
                if (read < 0) {
                    break;
                }
            }
            buffer.flip();
            long after = KeyValueRecords.forEach(buffer, visitor);
            if (after <= next) {
                break;
            }
            next = after;
        }
    }
}
