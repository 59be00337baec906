package io.millrace.broker.handler.group;

import io.millrace.broker.BrokerConfig;
import io.millrace.broker.group.GroupConfig;
import io.millrace.broker.network.ApiHandler;
import io.millrace.broker.network.RequestContext;
import io.millrace.metadata.BrokerInfo;
import io.millrace.metadata.CreateTopicResult;
import io.millrace.metadata.MetadataImage;
import io.millrace.metadata.MetadataService;
import io.millrace.metadata.NewTopic;
import io.millrace.metadata.PartitionInfo;
import io.millrace.metadata.TopicInfo;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.ErrorMapper;
import io.millrace.protocol.codec.FindCoordinatorCodec;
import io.millrace.protocol.codec.FindCoordinatorCodec.Coordinator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * FindCoordinator (batched from v4): a group's coordinator is the leader of its
 * {@code __consumer_offsets} partition. The first request creates that topic (compacted, with
 * {@code offsets.topic.num.partitions} partitions) and answers once its leaders exist, instead of
 * answering COORDINATOR_NOT_AVAILABLE and making every client retry. Transactions are not served
 * yet, so transactional keys get COORDINATOR_NOT_AVAILABLE.
 */
public final class FindCoordinatorHandler implements ApiHandler<FindCoordinatorCodec.Request, FindCoordinatorCodec.Response> {

    private final FindCoordinatorCodec codec = new FindCoordinatorCodec();
    private final BrokerConfig config;
    private final MetadataService metadata;
    private final AtomicReference<CompletableFuture<ErrorCode>> creating = new AtomicReference<>();

    public FindCoordinatorHandler(BrokerConfig config, MetadataService metadata) {
        this.config = config;
        this.metadata = metadata;
    }

    @Override
    public FindCoordinatorCodec codec() {
        return codec;
    }

    @Override
    public CompletionStage<FindCoordinatorCodec.Response> handle(RequestContext context, FindCoordinatorCodec.Request request) {
        if (request.keyType() != FindCoordinatorCodec.KEY_TYPE_GROUP) {
            ErrorCode error = request.keyType() == FindCoordinatorCodec.KEY_TYPE_TRANSACTION
                    ? ErrorCode.COORDINATOR_NOT_AVAILABLE : ErrorCode.INVALID_REQUEST;
            String message = request.keyType() == FindCoordinatorCodec.KEY_TYPE_TRANSACTION
                    ? "This broker does not coordinate transactions" : "Unknown key type " + request.keyType();
            return CompletableFuture.completedFuture(new FindCoordinatorCodec.Response(request.keys().stream()
                    .map(key -> failed(key, error, message)).toList()));
        }
        return offsetsTopic().thenApply(error -> {
            MetadataImage image = metadata.image();
            List<Coordinator> coordinators = new ArrayList<>(request.keys().size());
            for (String key : request.keys()) {
                coordinators.add(error != ErrorCode.NONE
                        ? failed(key, ErrorCode.COORDINATOR_NOT_AVAILABLE, "The offsets topic could not be created: " + error)
                        : coordinatorOf(key, image));
            }
            return new FindCoordinatorCodec.Response(coordinators);
        });
    }

    private Coordinator coordinatorOf(String groupId, MetadataImage image) {
        GroupConfig groups = config.groups();
        TopicInfo topic = image.topic(GroupConfig.OFFSETS_TOPIC).orElse(null);
        if (topic == null) {
            return failed(groupId, ErrorCode.COORDINATOR_NOT_AVAILABLE, "The offsets topic does not exist yet");
        }
        int partition = groups.partitionFor(groupId);
        if (partition >= topic.partitions().size()) {
            return failed(groupId, ErrorCode.COORDINATOR_NOT_AVAILABLE, "The offsets topic has too few partitions");
        }
        PartitionInfo info = topic.partitions().get(partition);
        BrokerInfo leader = image.brokers().get(info.leader());
        if (leader == null || leader.fenced()) {
            return failed(groupId, ErrorCode.COORDINATOR_NOT_AVAILABLE,
                    GroupConfig.OFFSETS_TOPIC + "-" + partition + " has no live leader");
        }
        return new Coordinator(groupId, leader.id(), leader.host(), leader.port(), ErrorCode.NONE, null);
    }

    private static Coordinator failed(String key, ErrorCode error, String message) {
        return new Coordinator(key, -1, "", -1, error, message);
    }

    /** Completes when the offsets topic exists (creating it once if needed) with NONE or why it could not be created. */
    private CompletableFuture<ErrorCode> offsetsTopic() {
        if (metadata.image().topic(GroupConfig.OFFSETS_TOPIC).isPresent()) {
            return CompletableFuture.completedFuture(ErrorCode.NONE);
        }
        CompletableFuture<ErrorCode> mine = new CompletableFuture<>();
        CompletableFuture<ErrorCode> running = creating.compareAndExchange(null, mine);
        if (running != null) {
            return running;
        }
        GroupConfig groups = config.groups();
        short replicationFactor = (short) Math.min(groups.offsetsTopicReplicationFactor(),
                config.controllerQuorumVoters().size());
        NewTopic topic = new NewTopic(GroupConfig.OFFSETS_TOPIC, groups.offsetsTopicNumPartitions(), replicationFactor,
                Map.of(), Map.of("cleanup.policy", "compact",
                        "segment.bytes", Integer.toString(groups.offsetsTopicSegmentBytes()),
                        "compression.type", "producer"));
        metadata.createTopics(List.of(topic), false).whenComplete((results, failure) -> {
            creating.set(null);
            if (failure != null) {
                mine.complete(ErrorMapper.codeOf(failure));
                return;
            }
            CreateTopicResult result = results.get(0);
            mine.complete(result.error() == ErrorCode.TOPIC_ALREADY_EXISTS ? ErrorCode.NONE : result.error());
        });
        return mine;
    }
}
