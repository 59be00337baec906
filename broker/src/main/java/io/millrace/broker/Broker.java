package io.millrace.broker;

import io.millrace.broker.group.GroupConfig;
import io.millrace.broker.group.GroupCoordinator;
import io.millrace.broker.group.GroupMetrics;
import io.millrace.broker.group.ReplicaGroupLog;
import io.millrace.broker.handler.ApiVersionsHandler;
import io.millrace.broker.network.HandlerRegistry;
import io.millrace.broker.network.KafkaServer;
import io.millrace.broker.network.NamedThreadFactory;
import io.millrace.broker.network.RequestMetrics;
import io.millrace.broker.purgatory.Purgatory;
import io.millrace.broker.replica.FetchService;
import io.millrace.broker.replica.ProduceService;
import io.millrace.broker.replica.ReplicaManager;
import io.millrace.broker.replica.TopicPartition;
import io.millrace.metadata.MetadataConfig;
import io.millrace.metadata.MetadataImage;
import io.millrace.metadata.MetadataService;
import io.millrace.metadata.PartitionInfo;
import io.millrace.protocol.ApiKey;
import io.millrace.protocol.Time;
import io.millrace.storage.LogManager;
import io.netty.util.HashedWheelTimer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Millrace node: its partition logs, its member of the metadata quorum, its replicas and the
 * Kafka protocol listener, started and stopped in dependency order.
 *
 * <p>Start: logs are loaded (with recovery after a crash) before anything serves; the metadata
 * quorum replays its log; the node registers itself; every partition the image assigns here is
 * brought into its role; only then does {@link #readyFuture()} complete. The listener is bound
 * early so that clients connecting during start-up get answers instead of refused connections.
 *
 * <p>Close: stop accepting, answer in-flight requests, stop the metadata member, then flush and
 * close every log and mark the shutdown clean so the next start needs no recovery.
 */
public final class Broker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Broker.class);

    private final BrokerConfig config;
    private final LogManager logManager;
    private final MetadataService metadata;
    private final HashedWheelTimer timer;
    private final HighWatermarkNotifier highWatermarkNotifier;
    private final ReplicaManager replicaManager;
    private final GroupCoordinator groups;
    private final ExecutorService adminIo = Executors.newSingleThreadExecutor(new NamedThreadFactory("millrace-admin-io"));
    private final KafkaServer server;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private volatile boolean closed;

    private Broker(BrokerConfig config, Time time, PrometheusRegistry registry) throws Exception {
        this.config = config;
        this.logManager = new LogManager(config.logDir(), config.flushPolicy(), config.flushIntervalMs(), time);
        if (config.pageCacheRetainBytes() >= 0) {
            logManager.limitPageCache(config.pageCacheRetainBytes());
        }
        logManager.startup();
        this.metadata = MetadataService.start(metadataConfig(config), time);
        this.timer = new HashedWheelTimer(new NamedThreadFactory("millrace-purgatory-timer"), 10, TimeUnit.MILLISECONDS);
        Purgatory<TopicPartition> producePurgatory = new Purgatory<>(timer);
        Purgatory<TopicPartition> fetchPurgatory = new Purgatory<>(timer);
        this.highWatermarkNotifier = new HighWatermarkNotifier(tp -> {
            producePurgatory.checkAndComplete(tp);
            fetchPurgatory.checkAndComplete(tp);
        });
        this.replicaManager = new ReplicaManager(config, logManager, metadata::image, highWatermarkNotifier);
        metadata.addListener(replicaManager);
        ProduceService produce = new ProduceService(config, replicaManager, metadata::image, producePurgatory);
        this.groups = new GroupCoordinator(config.groups(), time, timer,
                new ReplicaGroupLog(replicaManager, produce, time, config.groups().offsetCommitTimeoutMs()),
                new GroupMetrics());
        metadata.addListener((previous, current) -> {
            groups.onLeadershipChange(ledOffsetsPartitions(current));
            groups.onTopicsDeleted(deletedTopics(previous, current));
        });
        BrokerServices services = new BrokerServices(config, time, metadata, logManager, replicaManager, produce,
                new FetchService(replicaManager, fetchPurgatory), groups, adminIo);
        HandlerRegistry handlers = Handlers.registry(services);
        var apiVersions = (ApiVersionsHandler) handlers.handler(ApiKey.API_VERSIONS).orElseThrow();
        new BrokerMetrics(replicaManager, metadata::image, groups).register(registry);
        this.server = new KafkaServer(config, handlers, apiVersions::unsupportedVersionResponse,
                new RequestMetrics(registry));
    }

    /** Starts a node; the returned broker is listening but may not be ready yet. */
    public static Broker start(BrokerConfig config, Time time, PrometheusRegistry registry) throws Exception {
        Broker broker = new Broker(config, time, registry);
        try {
            broker.server.start();
        } catch (Exception | Error failure) {
            broker.close();
            throw failure;
        }
        broker.becomeReady();
        return broker;
    }

    private void becomeReady() {
        BrokerConfig.Endpoint advertised = config.advertisedListeners().get(0);
        metadata.awaitReady()
                .thenCompose(ignored -> metadata.registerBroker(config.nodeId(), advertised.host(), advertised.port(), null))
                .thenRun(replicaManager::reconcileAll)
                .thenRun(() -> groups.onLeadershipChange(ledOffsetsPartitions(metadata.image())))
                .whenComplete((ignored, failure) -> {
                    if (failure != null) {
                        log.error("Node {} could not become ready", config.nodeId(), failure);
                        ready.completeExceptionally(failure);
                    } else {
                        ready.complete(null);
                    }
                });
    }

    /** The {@code __consumer_offsets} partitions the image makes this node lead: the groups it coordinates. */
    private Set<Integer> ledOffsetsPartitions(MetadataImage image) {
        Set<Integer> led = new HashSet<>();
        image.topic(GroupConfig.OFFSETS_TOPIC).ifPresent(topic -> {
            for (PartitionInfo partition : topic.partitions()) {
                if (partition.leader() == config.nodeId()) {
                    led.add(partition.partition());
                }
            }
        });
        return led;
    }

    private static Set<String> deletedTopics(MetadataImage previous, MetadataImage current) {
        Set<String> deleted = new HashSet<>();
        previous.topicsByName().forEach((name, topic) -> {
            if (current.topic(topic.id()).isEmpty()) {
                deleted.add(name);
            }
        });
        return deleted;
    }

    private static MetadataConfig metadataConfig(BrokerConfig config) {
        return new MetadataConfig(config.nodeId(), config.controllerQuorumVoters(),
                config.logDir().resolve(MetadataDirs.METADATA_DIR_NAME), config.numPartitions(),
                config.defaultReplicationFactor(), TopicDefaults.of(config));
    }

    public CompletableFuture<Void> readyFuture() {
        return ready;
    }

    /** Ready: metadata loaded, node registered, and every local partition serving. */
    public boolean isReady() {
        return ready.isDone() && !ready.isCompletedExceptionally() && !closed
                && replicaManager.allLocalPartitionsServing(metadata.image());
    }

    public int boundPort() {
        return server.boundPort();
    }

    public BrokerConfig config() {
        return config;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly("network", server);
        closeQuietly("metadata", metadata);
        closeQuietly("groups", groups);
        adminIo.shutdown();
        closeQuietly("replicas", replicaManager);
        closeQuietly("high watermark notifier", highWatermarkNotifier);
        timer.stop();
        closeQuietly("logs", logManager);
    }

    private static void closeQuietly(String what, AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception failure) {
            log.warn("Closing {} failed", what, failure);
        }
    }
}
