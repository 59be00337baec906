package io.millrace.broker.handler;

import io.millrace.broker.network.ApiHandler;
import io.millrace.broker.network.RequestContext;
import io.millrace.broker.replica.FetchService;
import io.millrace.broker.replica.FetchService.PartitionData;
import io.millrace.broker.replica.FetchService.PartitionFetch;
import io.millrace.broker.replica.TopicPartition;
import io.millrace.metadata.MetadataImage;
import io.millrace.metadata.MetadataService;
import io.millrace.metadata.TopicInfo;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.codec.FetchCodec;
import io.millrace.protocol.codec.FetchCodec.PartitionRequest;
import io.millrace.protocol.codec.FetchCodec.PartitionResponse;
import io.millrace.protocol.codec.FetchCodec.TopicRequest;
import io.millrace.protocol.codec.FetchCodec.TopicResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Fetch: resolves topics (by name, or by id from version 13) and reads through the
 * {@link FetchService}, which long-polls in the fetch purgatory. Incremental fetch sessions are
 * declined: every response carries session id 0, so clients keep sending full requests, and a
 * request naming a session gets FETCH_SESSION_ID_NOT_FOUND.
 */
public final class FetchHandler implements ApiHandler<FetchCodec.Request, FetchCodec.Response> {

    private static final int INITIAL_EPOCH = 0;
    private static final int FINAL_EPOCH = -1;

    private final FetchCodec codec = new FetchCodec();
    private final MetadataService metadata;
    private final FetchService fetch;

    public FetchHandler(MetadataService metadata, FetchService fetch) {
        this.metadata = metadata;
        this.fetch = fetch;
    }

    @Override
    public FetchCodec codec() {
        return codec;
    }

    @Override
    public CompletionStage<FetchCodec.Response> handle(RequestContext context, FetchCodec.Request request) {
        if (request.sessionId() != 0) {
            return CompletableFuture.completedFuture(
                    new FetchCodec.Response(ErrorCode.FETCH_SESSION_ID_NOT_FOUND, 0, List.of()));
        }
        if (request.sessionEpoch() != INITIAL_EPOCH && request.sessionEpoch() != FINAL_EPOCH) {
            return CompletableFuture.completedFuture(
                    new FetchCodec.Response(ErrorCode.INVALID_FETCH_SESSION_EPOCH, 0, List.of()));
        }
        MetadataImage image = metadata.image();
        List<PartitionFetch> reads = new ArrayList<>();
        List<String> names = new ArrayList<>(request.topics().size());
        for (TopicRequest topic : request.topics()) {
            Optional<TopicInfo> info = topic.topicId() != null ? image.topic(topic.topicId()) : image.topic(topic.name());
            names.add(info.map(TopicInfo::name).orElse(null));
            if (info.isEmpty()) {
                continue;
            }
            for (PartitionRequest p : topic.partitions()) {
                reads.add(new PartitionFetch(new TopicPartition(info.get().name(), p.partition()), p.fetchOffset(),
                        p.partitionMaxBytes(), p.currentLeaderEpoch()));
            }
        }
        FetchService.FetchParams params = new FetchService.FetchParams(request.maxWaitMs(), request.minBytes(),
                request.maxBytes());
        return fetch.fetch(params, reads).thenApply(data -> respond(request, names, data));
    }

    private static FetchCodec.Response respond(FetchCodec.Request request, List<String> names,
                                               List<PartitionData> data) {
        Map<TopicPartition, PartitionData> byPartition = new HashMap<>();
        for (PartitionData partition : data) {
            byPartition.put(partition.topicPartition(), partition);
        }
        List<TopicResponse> topics = new ArrayList<>(request.topics().size());
        for (int i = 0; i < request.topics().size(); i++) {
            TopicRequest topic = request.topics().get(i);
            String name = names.get(i);
            List<PartitionResponse> partitions = new ArrayList<>(topic.partitions().size());
            for (PartitionRequest p : topic.partitions()) {
                if (name == null) {
                    partitions.add(PartitionResponse.failed(p.partition(), topic.topicId() != null
                            ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION));
                    continue;
                }
                PartitionData read = byPartition.get(new TopicPartition(name, p.partition()));
                partitions.add(new PartitionResponse(p.partition(), read.error(), read.highWatermark(),
                        read.lastStableOffset(), read.logStartOffset(), read.records()));
            }
            topics.add(new TopicResponse(name != null ? name : topic.name(), topic.topicId(), partitions));
        }
        return new FetchCodec.Response(ErrorCode.NONE, 0, topics);
    }
}
