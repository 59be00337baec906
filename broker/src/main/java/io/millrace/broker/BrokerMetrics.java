package io.millrace.broker;

import io.millrace.broker.group.GroupCoordinator;
import io.millrace.broker.replica.Partition;
import io.millrace.broker.replica.ReplicaManager;
import io.millrace.broker.replica.ReplicaState;
import io.millrace.broker.replica.TopicPartition;
import io.millrace.metadata.MetadataImage;
import io.millrace.metadata.PartitionInfo;
import io.millrace.metadata.TopicInfo;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
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
    private final GroupCoordinator groups;

    BrokerMetrics(ReplicaManager replicaManager, Supplier<MetadataImage> image, GroupCoordinator groups) {
        this.replicaManager = replicaManager;
        this.image = image;
        this.groups = groups;
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
        registerGroups(registry);
    }

    private void registerGroups(PrometheusRegistry registry) {
        GaugeWithCallback.builder().name("millrace_groups")
                .help("Consumer groups this node coordinates, by state").labelNames("state")
                .callback(cb -> groups.groupCountsByState().forEach((state, count) -> cb.call(count, state.kafkaName())))
                .register(registry);
        CounterWithCallback.builder().name("millrace_group_rebalances")
                .help("Rebalances started by the groups this node coordinates")
                .callback(cb -> cb.call(groups.metrics().rebalances()))
                .register(registry);
        CounterWithCallback.builder().name("millrace_group_offset_commits")
                .help("Offsets committed (one per partition) to the groups this node coordinates")
                .callback(cb -> cb.call(groups.metrics().offsetCommits()))
                .register(registry);
        GaugeWithCallback.builder().name("millrace_group_consumer_lag")
                .help("High watermark minus committed offset, per group and partition, for partitions led here")
                .labelNames("group", "topic", "partition")
                .callback(cb -> {
                    for (GroupCoordinator.CommittedOffsetView committed : groups.committedOffsets()) {
                        replicaManager.partition(new TopicPartition(committed.topic(), committed.partition()))
                                .filter(p -> p.state() instanceof ReplicaState.Leader)
                                .ifPresent(p -> cb.call(Math.max(0, p.highWatermark() - committed.offset()),
                                        committed.groupId(), committed.topic(), Integer.toString(committed.partition())));
                    }
                })
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
