package io.millrace.broker.replica;

import io.millrace.broker.BrokerConfig;
import io.millrace.metadata.MetadataImage;
import io.millrace.metadata.MetadataListener;
import io.millrace.metadata.PartitionInfo;
import io.millrace.metadata.TopicInfo;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.MillraceException;
import io.millrace.storage.LogManager;
import io.millrace.storage.PartitionLog;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions this node hosts and their roles, kept in step with the metadata image.
 *
 * <p>When the image changes, every partition this node is a replica of is brought to the role the
 * image gives it (leader or follower in the image's leader epoch), partitions of deleted topics
 * are taken offline and their logs deleted, and a topic re-created under the same name (a new
 * topic id) starts from an empty log. A request that arrives before the listener has run for a
 * new topic reconciles that one partition on the spot, so the first produce after CreateTopics
 * never sees NOT_LEADER_OR_FOLLOWER.
 *
 * <p>Thread-safety: reconciliation is serialized by this object's lock; lookups of existing
 * partitions are lock-free.
 */
public final class ReplicaManager implements MetadataListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReplicaManager.class);

    private final BrokerConfig config;
    private final LogManager logManager;
    private final Supplier<MetadataImage> image;
    private final Consumer<TopicPartition> onHighWatermarkAdvanced;
    private final ConcurrentHashMap<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();
    private final java.util.concurrent.ExecutorService reconciler = java.util.concurrent.Executors
            .newSingleThreadExecutor(new io.millrace.broker.network.NamedThreadFactory("millrace-replica-reconciler"));

    public ReplicaManager(BrokerConfig config, LogManager logManager, Supplier<MetadataImage> image,
                          Consumer<TopicPartition> onHighWatermarkAdvanced) {
        this.config = config;
        this.logManager = logManager;
        this.image = image;
        this.onHighWatermarkAdvanced = onHighWatermarkAdvanced;
    }

    /**
     * Called on the metadata apply thread, which must never wait on disk: the reconciliation runs on
     * this manager's own thread. It reconciles against the newest image, not the one that triggered
     * it: a queued task holding an older image could otherwise delete the log of a topic created
     * since, which a request may already have written to.
     */
    @Override
    public void onMetadataUpdate(MetadataImage previous, MetadataImage current) {
        reconciler.execute(() -> {
            try {
                reconcileAll();
            } catch (RuntimeException failure) {
                log.error("Could not apply metadata at index {} to local partitions", current.appliedIndex(), failure);
            }
        });
    }

    @Override
    public void close() {
        reconciler.shutdown();
        try {
            reconciler.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Brings every local partition, and every partition the image assigns here, in line with the
     * newest image. The image is read under this object's lock, as in {@link #partitionOrThrow}, so
     * whoever holds the lock later always works from an image at least as new as the one before.
     */
    public synchronized void reconcileAll() {
        MetadataImage current = image.get();
        Set<TopicPartition> wanted = new HashSet<>();
        for (TopicInfo topic : current.topicsByName().values()) {
            for (PartitionInfo info : topic.partitions()) {
                if (info.replicas().contains(config.nodeId())) {
                    TopicPartition tp = new TopicPartition(topic.name(), info.partition());
                    wanted.add(tp);
                    reconcile(topic, info);
                }
            }
        }
        for (PartitionLog existing : logManager.logs()) {
            TopicPartition tp = new TopicPartition(existing.topic(), existing.partition());
            if (!wanted.contains(tp)) {
                remove(tp, "its topic no longer lists this node as a replica");
            }
        }
    }

    /**
     * The local partition, reconciling it from the current image first if it is not known yet.
     *
     * @throws MillraceException UNKNOWN_TOPIC_OR_PARTITION if the image has no such partition, or
     *                           NOT_LEADER_OR_FOLLOWER if this node is not one of its replicas
     */
    public Partition partitionOrThrow(TopicPartition tp) {
        Partition existing = partitions.get(tp);
        if (existing != null) {
            return existing;
        }
        synchronized (this) {
            MetadataImage current = image.get();
            TopicInfo topic = current.topic(tp.topic()).orElseThrow(() -> unknown(tp));
            if (tp.partition() < 0 || tp.partition() >= topic.partitions().size()) {
                throw unknown(tp);
            }
            PartitionInfo info = topic.partitions().get(tp.partition());
            if (!info.replicas().contains(config.nodeId())) {
                throw new MillraceException(ErrorCode.NOT_LEADER_OR_FOLLOWER,
                        "This node is not a replica of " + tp);
            }
            return reconcile(topic, info);
        }
    }

    public Optional<Partition> partition(TopicPartition tp) {
        return Optional.ofNullable(partitions.get(tp));
    }

    public Collection<Partition> partitions() {
        return partitions.values();
    }

    private Partition reconcile(TopicInfo topic, PartitionInfo info) {
        TopicPartition tp = new TopicPartition(topic.name(), info.partition());
        Partition partition = partitions.get(tp);
        if (partition != null && !partition.log().topicId().equals(topic.id())) {
            remove(tp, "the topic was re-created with a new id");
            partition = null;
        }
        if (partition == null) {
            Optional<PartitionLog> stale = logManager.getLog(tp.topic(), tp.partition())
                    .filter(existing -> !existing.topicId().equals(topic.id()));
            if (stale.isPresent()) {
                logManager.deleteLog(tp.topic(), tp.partition());
            }
            PartitionLog partitionLog = logManager.getOrCreateLog(tp.topic(), topic.id(), tp.partition(),
                    LogConfigs.effective(topic, config));
            partition = new Partition(tp, partitionLog, config.flushPolicy(), onHighWatermarkAdvanced);
            // Published only once in its role: a request that finds it lock-free must never see it
            // Offline (that answered the first produce after CreateTopics with NOT_LEADER_OR_FOLLOWER).
            partition.transitionTo(roleFor(info));
            partitions.put(tp, partition);
            return partition;
        }
        partition.log().updateConfig(LogConfigs.effective(topic, config));
        partition.transitionTo(roleFor(info));
        return partition;
    }

    private ReplicaState roleFor(PartitionInfo info) {
        if (info.leader() == config.nodeId()) {
            return new ReplicaState.Leader(info.leaderEpoch(), info.isr());
        }
        return new ReplicaState.Follower(info.leaderEpoch(), info.leader());
    }

    private void remove(TopicPartition tp, String why) {
        Partition removed = partitions.remove(tp);
        if (removed != null) {
            removed.transitionTo(new ReplicaState.Offline());
        }
        if (logManager.getLog(tp.topic(), tp.partition()).isPresent()) {
            log.info("[Partition {}] deleting the local log because {}", tp, why);
            logManager.deleteLog(tp.topic(), tp.partition());
        }
        onHighWatermarkAdvanced.accept(tp);
    }

    /** Whether every partition the image assigns to this node is loaded and in its role. */
    public boolean allLocalPartitionsServing(MetadataImage current) {
        for (TopicInfo topic : current.topicsByName().values()) {
            for (PartitionInfo info : topic.partitions()) {
                if (info.replicas().contains(config.nodeId())) {
                    Partition partition = partitions.get(new TopicPartition(topic.name(), info.partition()));
                    if (partition == null || partition.state() instanceof ReplicaState.Offline) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private static MillraceException unknown(TopicPartition tp) {
        return new MillraceException(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
                "This server does not host this topic-partition: " + tp);
    }

}
