package io.millrace.broker.handler;

import io.millrace.broker.BrokerConfig;
import io.millrace.broker.network.ApiHandler;
import io.millrace.broker.network.CloseConnectionException;
import io.millrace.broker.network.RequestContext;
import io.millrace.broker.replica.ProduceService;
import io.millrace.broker.replica.TopicPartition;
import io.millrace.metadata.MetadataImage;
import io.millrace.metadata.MetadataService;
import io.millrace.metadata.TopicInfo;
import io.millrace.protocol.EncodedResponse;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.codec.LegacyProduceRejection;
import io.millrace.protocol.codec.ProduceCodec;
import io.millrace.protocol.codec.ProduceCodec.PartitionData;
import io.millrace.protocol.codec.ProduceCodec.PartitionResponse;
import io.millrace.protocol.codec.ProduceCodec.TopicData;
import io.millrace.protocol.codec.ProduceCodec.TopicResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Produce: resolves topics (by name, or by id from version 13), creates missing ones when
 * auto-creation is on, and hands the batches to the {@link ProduceService}. An acks=0 produce gets
 * no response; if any partition failed, the connection is closed instead, as Kafka does.
 * Transactions are not supported yet: a transactional produce fails with INVALID_TXN_STATE.
 */
public final class ProduceHandler implements ApiHandler<ProduceCodec.Request, ProduceCodec.Response> {

    private final ProduceCodec codec = new ProduceCodec();
    private final BrokerConfig config;
    private final MetadataService metadata;
    private final TopicAutoCreator autoCreator;
    private final ProduceService produce;

    public ProduceHandler(BrokerConfig config, MetadataService metadata, TopicAutoCreator autoCreator,
                          ProduceService produce) {
        this.config = config;
        this.metadata = metadata;
        this.autoCreator = autoCreator;
        this.produce = produce;
    }

    @Override
    public ProduceCodec codec() {
        return codec;
    }

    /**
     * Versions 0-2 are advertised, as Kafka 4 does so that older librdkafka releases keep working,
     * and answered with UNSUPPORTED_VERSION for every partition (an acks=0 one closes the connection).
     */
    @Override
    public short advertisedMinVersion() {
        return 0;
    }

    @Override
    public Optional<EncodedResponse> rejectUnsupported(ByteBuffer body, short version, int correlationId) {
        return LegacyProduceRejection.reject(body, version, correlationId);
    }

    @Override
    public CompletionStage<ProduceCodec.Response> handle(RequestContext context, ProduceCodec.Request request) {
        if (request.transactionalId() != null) {
            return CompletableFuture.completedFuture(ProduceCodec.errorResponse(request, ErrorCode.INVALID_TXN_STATE,
                    "Transactions are not supported by this Millrace version"));
        }
        List<String> missing = missingTopics(metadata.image(), request);
        if (missing.isEmpty() || !config.autoCreateTopicsEnable()) {
            return append(request);
        }
        return autoCreator.create(missing).thenCompose(created -> append(request));
    }

    private static List<String> missingTopics(MetadataImage image, ProduceCodec.Request request) {
        List<String> missing = new ArrayList<>();
        for (TopicData topic : request.topics()) {
            if (topic.topicId() == null && topic.name() != null && image.topic(topic.name()).isEmpty()) {
                missing.add(topic.name());
            }
        }
        return missing;
    }

    private CompletionStage<ProduceCodec.Response> append(ProduceCodec.Request request) {
        MetadataImage image = metadata.image();
        Map<TopicPartition, ByteBuffer> records = new LinkedHashMap<>();
        // Resolved names by position in the request: TopicData holds the batches, whose bytes the log
        // patches in place, so it must not be used as a hash key.
        List<String> names = new ArrayList<>(request.topics().size());
        for (TopicData topic : request.topics()) {
            Optional<TopicInfo> info = topic.topicId() != null ? image.topic(topic.topicId()) : image.topic(topic.name());
            names.add(info.map(TopicInfo::name).orElse(null));
            info.ifPresent(found -> {
                for (PartitionData partition : topic.partitions()) {
                    records.put(new TopicPartition(found.name(), partition.index()), partition.records());
                }
            });
        }
        return produce.append(request.acks(), request.timeoutMs(), records).thenApply(results -> {
            ProduceCodec.Response response = respond(request, names, results);
            if (request.acks() == 0) {
                boolean failed = response.topics().stream().flatMap(t -> t.partitions().stream())
                        .anyMatch(p -> p.error() != ErrorCode.NONE);
                if (failed) {
                    throw new CloseConnectionException("an acks=0 produce failed");
                }
                return null;
            }
            return response;
        });
    }

    private static ProduceCodec.Response respond(ProduceCodec.Request request, List<String> names,
                                                 Map<TopicPartition, ProduceService.PartitionResult> results) {
        List<TopicResponse> topics = new ArrayList<>(request.topics().size());
        for (int i = 0; i < request.topics().size(); i++) {
            TopicData topic = request.topics().get(i);
            String name = names.get(i);
            List<PartitionResponse> partitions = new ArrayList<>(topic.partitions().size());
            for (PartitionData partition : topic.partitions()) {
                if (name == null) {
                    ErrorCode error = topic.topicId() != null ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
                    partitions.add(PartitionResponse.failed(partition.index(), error, null));
                    continue;
                }
                ProduceService.PartitionResult result = results.get(new TopicPartition(name, partition.index()));
                partitions.add(new PartitionResponse(partition.index(), result.error(), result.errorMessage(),
                        result.baseOffset(), result.logAppendTimeMs(), result.logStartOffset()));
            }
            topics.add(new TopicResponse(name != null ? name : topic.name(), topic.topicId(), partitions));
        }
        return new ProduceCodec.Response(topics);
    }
}
