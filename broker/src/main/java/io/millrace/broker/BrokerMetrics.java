package io.millrace.broker;

import io.millrace.broker.replica.Partition;
import io.millrace.broker.replica.ReplicaManager;
import io.millrace.broker.replica.ReplicaState;
import io.millrace.metadata.MetadataImage;
import io.millrace.metadata.PartitionInfo;
import io.millrace.metadata.TopicInfo;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.Supplier;

/**
 * Cluster and partition gauges, computed when scraped from the metadata image and the local
 * replicas, so they always agree with what clients are told.
 */
final class BrokerMetrics {

    private final ReplicaManager replicaManager;
    private final Supplier<MetadataImage> image;

    BrokerMetrics(ReplicaManager replicaManager, Supplier<MetadataImage> image) {
        this.replicaManager = replicaManager;
        this.image = image;
    }

    void register(PrometheusRegistry registry) {
        GaugeWithCallback.builder().name("millrace_cluster_brokers_alive")
                .help("Registered brokers that are not fenced")
                .callback(cb -> cb.call(image.get().brokers().values().stream().filter(b -> !b.fenced()).count()))
                .register(registry);
        GaugeWithCallback.builder().name("millrace_cluster_partitions")
                .help("Partitions in the cluster")
                .callback(cb -> cb.call(partitionCount(image.get())))
                .register(registry);
        GaugeWithCallback.builder().name("millrace_cluster_partitions_offline")
                .help("Partitions without a live leader")
                .callback(cb -> cb.call(offlineCount(image.get())))
                .register(registry);
        GaugeWithCallback.builder().name("millrace_cluster_partitions_under_replicated")
                .help("Partitions whose ISR is smaller than their replica set")
                .callback(cb -> cb.call(underReplicatedCount(image.get())))
                .register(registry);
        GaugeWithCallback.builder().name("millrace_partition_log_end_offset")
                .help("Log end offset of each local partition").labelNames("topic", "partition")
                .callback(cb -> replicaManager.partitions().forEach(p -> cb.call(p.log().logEndOffset(), labels(p))))
                .register(registry);
        GaugeWithCallback.builder().name("millrace_partition_high_watermark")
                .help("High watermark of each local partition this node leads").labelNames("topic", "partition")
                .callback(cb -> replicaManager.partitions().stream()
                        .filter(p -> p.state() instanceof ReplicaState.Leader)
                        .forEach(p -> cb.call(p.highWatermark(), labels(p))))
                .register(registry);
        GaugeWithCallback.builder().name("millrace_partition_log_start_offset")
                .help("Log start offset of each local partition").labelNames("topic", "partition")
                .callback(cb -> replicaManager.partitions().forEach(p -> cb.call(p.log().logStartOffset(), labels(p))))
                .register(registry);
        GaugeWithCallback.builder().name("millrace_partition_size_bytes")
                .help("Bytes on disk of each local partition").labelNames("topic", "partition")
                .callback(cb -> replicaManager.partitions().forEach(p -> cb.call(p.log().sizeBytes(), labels(p))))
                .register(registry);
    }

    private static String[] labels(Partition partition) {
        return new String[] {partition.topicPartition().topic(), Integer.toString(partition.topicPartition().partition())};
    }

    private static long partitionCount(MetadataImage image) {
        return image.topicsByName().values().stream().mapToLong(t -> t.partitions().size()).sum();
    }

    private static long offlineCount(MetadataImage image) {
        long offline = 0;
        for (TopicInfo topic : image.topicsByName().values()) {
            for (PartitionInfo partition : topic.partitions()) {
                var leader = image.brokers().get(partition.leader());
                if (partition.leader() < 0 || leader == null || leader.fenced()) {
                    offline++;
                }
            }
        }
        return offline;
    }

    private static long underReplicatedCount(MetadataImage image) {
        return image.topicsByName().values().stream().flatMap(t -> t.partitions().stream())
                .filter(p -> p.isr().size() < p.replicas().size()).count();
    }
}
