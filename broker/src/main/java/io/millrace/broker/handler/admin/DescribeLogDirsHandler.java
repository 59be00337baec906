package io.millrace.broker.handler.admin;

import io.millrace.broker.BrokerServices;
import io.millrace.broker.network.ApiHandler;
import io.millrace.broker.network.RequestContext;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.codec.DescribeLogDirsCodec;
import io.millrace.protocol.codec.DescribeLogDirsCodec.PartitionResult;
import io.millrace.protocol.codec.DescribeLogDirsCodec.TopicResult;
import io.millrace.storage.LogManager;
import io.millrace.storage.PartitionLog;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * DescribeLogDirs: Millrace has one log directory, holding every local partition. Sizes are the
 * bytes in each partition's segment files; the offset lag is 0 because there are no future
 * (moving) replicas. A requested partition this node does not hold is left out, as in Kafka.
 */
public final class DescribeLogDirsHandler
        implements ApiHandler<DescribeLogDirsCodec.Request, DescribeLogDirsCodec.Response> {

    private static final long UNKNOWN_BYTES = -1L;

    private final DescribeLogDirsCodec codec = new DescribeLogDirsCodec();
    private final Path logDir;
    private final LogManager logManager;
    private final Executor blockingIo;

    public DescribeLogDirsHandler(BrokerServices services) {
        this.logDir = services.config().logDir().toAbsolutePath();
        this.logManager = services.logManager();
        this.blockingIo = services.blockingIo();
    }

    @Override
    public DescribeLogDirsCodec codec() {
        return codec;
    }

    @Override
    public CompletionStage<DescribeLogDirsCodec.Response> handle(RequestContext context,
                                                                 DescribeLogDirsCodec.Request request) {
        return CompletableFuture.supplyAsync(() -> describe(request), blockingIo);
    }

    /** Reads segment sizes and the file store's space, so this runs on the blocking-I/O executor. */
    private DescribeLogDirsCodec.Response describe(DescribeLogDirsCodec.Request request) {
        Map<String, Set<Integer>> wanted = wanted(request);
        Map<String, List<PartitionResult>> byTopic = new TreeMap<>();
        for (PartitionLog log : logManager.logs()) {
            if (wanted == null || wanted.getOrDefault(log.topic(), Set.of()).contains(log.partition())) {
                byTopic.computeIfAbsent(log.topic(), t -> new ArrayList<>())
                        .add(new PartitionResult(log.partition(), log.sizeBytes(), 0L, false));
            }
        }
        List<TopicResult> topics = new ArrayList<>(byTopic.size());
        byTopic.forEach((name, partitions) -> topics.add(new TopicResult(name, partitions)));
        long totalBytes = UNKNOWN_BYTES;
        long usableBytes = UNKNOWN_BYTES;
        try {
            FileStore store = Files.getFileStore(logDir);
            totalBytes = store.getTotalSpace();
            usableBytes = store.getUsableSpace();
        } catch (IOException e) {
            // The sizes are advisory; the partitions are still worth reporting.
        }
        DescribeLogDirsCodec.LogDir dir = new DescribeLogDirsCodec.LogDir(ErrorCode.NONE, logDir.toString(), topics,
                totalBytes, usableBytes);
        return new DescribeLogDirsCodec.Response(ErrorCode.NONE, List.of(dir));
    }

    /** Topic to requested partitions, or null for every partition. */
    private static Map<String, Set<Integer>> wanted(DescribeLogDirsCodec.Request request) {
        if (request.topics() == null) {
            return null;
        }
        Map<String, Set<Integer>> wanted = new HashMap<>();
        for (DescribeLogDirsCodec.TopicRequest topic : request.topics()) {
            wanted.computeIfAbsent(topic.name(), t -> new HashSet<>()).addAll(topic.partitions());
        }
        return wanted;
    }
}
