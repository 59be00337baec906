package io.millrace.broker.handler;

import io.millrace.broker.BrokerConfig;
import io.millrace.broker.network.ApiHandler;
import io.millrace.broker.network.RequestContext;
import io.millrace.metadata.BrokerInfo;
import io.millrace.metadata.CreateTopicResult;
import io.millrace.metadata.MetadataImage;
import io.millrace.metadata.MetadataService;
import io.millrace.metadata.PartitionInfo;
import io.millrace.metadata.TopicInfo;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.codec.MetadataCodec;
import io.millrace.protocol.codec.MetadataCodec.Partition;
import io.millrace.protocol.codec.MetadataCodec.Topic;
import io.millrace.protocol.codec.MetadataCodec.TopicRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Metadata, answered from this node's metadata image. Unknown topics are created when
 * {@code auto.create.topics.enable} is on and the client allows it; the response then waits for the
 * creation so that it already names a leader for every partition.
 */
public final class MetadataHandler implements ApiHandler<MetadataCodec.Request, MetadataCodec.Response> {

    private final MetadataCodec codec = new MetadataCodec();
    private final BrokerConfig config;
    private final MetadataService metadata;
    private final TopicAutoCreator autoCreator;

    public MetadataHandler(BrokerConfig config, MetadataService metadata, TopicAutoCreator autoCreator) {
        this.config = config;
        this.metadata = metadata;
        this.autoCreator = autoCreator;
    }

    @Override
    public MetadataCodec codec() {
        return codec;
    }

    @Override
    public CompletionStage<MetadataCodec.Response> handle(RequestContext context, MetadataCodec.Request request) {
        if (request.topics() == null) {
            return CompletableFuture.completedFuture(respond(metadata.image(), null, Map.of()));
        }
        List<String> missing = new ArrayList<>();
        MetadataImage image = metadata.image();
        for (TopicRef ref : request.topics()) {
            if (ref.topicId() == null && ref.name() != null && image.topic(ref.name()).isEmpty()) {
                missing.add(ref.name());
            }
        }
        if (missing.isEmpty() || !config.autoCreateTopicsEnable() || !request.allowAutoTopicCreation()) {
            return CompletableFuture.completedFuture(respond(image, request.topics(), Map.of()));
        }
        return autoCreator.create(missing).thenApply(created -> respond(metadata.image(), request.topics(), created));
    }

    private MetadataCodec.Response respond(MetadataImage image, List<TopicRef> refs, Map<String, CreateTopicResult> created) {
        List<Topic> topics = new ArrayList<>();
        if (refs == null) {
            image.topicsByName().values().forEach(topic -> topics.add(describe(image, topic)));
        } else {
            for (TopicRef ref : refs) {
                topics.add(describe(image, ref, created));
            }
        }
        List<MetadataCodec.Broker> brokers = new ArrayList<>();
        for (BrokerInfo broker : image.brokers().values()) {
            if (!broker.fenced()) {
                brokers.add(new MetadataCodec.Broker(broker.id(), broker.host(), broker.port(), broker.rack()));
            }
        }
        return new MetadataCodec.Response(brokers, image.clusterId(), image.controllerId().orElse(-1), topics);
    }

    private Topic describe(MetadataImage image, TopicRef ref, Map<String, CreateTopicResult> created) {
        if (ref.topicId() != null) {
            return image.topic(ref.topicId()).map(topic -> describe(image, topic))
                    .orElseGet(() -> missing(ErrorCode.UNKNOWN_TOPIC_ID, ref));
        }
        Optional<TopicInfo> topic = image.topic(ref.name());
        if (topic.isPresent()) {
            return describe(image, topic.get());
        }
        CreateTopicResult creation = created.get(ref.name());
        ErrorCode error = creation == null || creation.error() == ErrorCode.NONE
                ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : creation.error();
        return missing(error, ref);
    }

    private static Topic missing(ErrorCode error, TopicRef ref) {
        return new Topic(error, ref.name(), ref.topicId(), false, List.of());
    }

    static Topic describe(MetadataImage image, TopicInfo topic) {
        List<Partition> partitions = new ArrayList<>(topic.partitions().size());
        for (PartitionInfo info : topic.partitions()) {
            List<Integer> offline = info.replicas().stream().filter(id -> !isLive(image, id)).toList();
            boolean leaderLive = info.leader() >= 0 && isLive(image, info.leader());
            partitions.add(new Partition(leaderLive ? ErrorCode.NONE : ErrorCode.LEADER_NOT_AVAILABLE,
                    info.partition(), leaderLive ? info.leader() : -1, info.leaderEpoch(),
                    info.replicas(), info.isr(), offline));
        }
        return new Topic(ErrorCode.NONE, topic.name(), topic.id(), topic.isInternal(), partitions);
    }

    private static boolean isLive(MetadataImage image, int brokerId) {
        BrokerInfo broker = image.brokers().get(brokerId);
        return broker != null && !broker.fenced();
    }
}
