package io.millrace.broker.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.broker.BrokerConfig;
import io.millrace.broker.group.GroupConfig;
import io.millrace.metadata.BrokerInfo;
import io.millrace.metadata.MetadataImage;
import io.millrace.metadata.PartitionInfo;
import io.millrace.metadata.TopicInfo;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.MillraceException;
import io.millrace.protocol.Time;
import io.millrace.storage.FlushPolicy;
import io.millrace.storage.LogManager;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicaManagerTest {

    private static final int NODE = 1;

    @TempDir
    Path dir;

    private LogManager logManager;
    private final AtomicReference<MetadataImage> image = new AtomicReference<>();
    private final List<TopicInfo> topics = new ArrayList<>();
    private ReplicaManager replicaManager;

    @BeforeEach
    void start() throws Exception {
        logManager = new LogManager(dir, FlushPolicy.RELAXED, 1000, Time.SYSTEM);
        logManager.startup();
        publish();
        replicaManager = new ReplicaManager(config(dir), logManager, image::get, tp -> { });
    }

    @AfterEach
    void stop() throws Exception {
        replicaManager.close();
        logManager.close();
    }

    private static BrokerConfig config(Path dir) {
        BrokerConfig.Endpoint endpoint = new BrokerConfig.Endpoint("PLAINTEXT", "localhost", 0);
        return new BrokerConfig(NODE, List.of(endpoint), List.of(endpoint),
                Map.of(NODE, InetSocketAddress.createUnresolved("localhost", 9093)),
                InetSocketAddress.createUnresolved("localhost", 8090), dir, 1, (short) 1, true,
                1 << 20, 3_600_000, -1, -1, 1 << 20, FlushPolicy.RELAXED, 1000, -1, 1, 1 << 20,
                GroupConfig.defaults());
    }

    private TopicInfo addTopic(String name) {
        TopicInfo topic = new TopicInfo(name, UUID.randomUUID(),
                List.of(new PartitionInfo(0, List.of(NODE), List.of(NODE), NODE, 0, 0)), Map.of());
        topics.add(topic);
        publish();
        return topic;
    }

    private void publish() {
        image.set(MetadataImage.of("cluster", topics.size(), topics,
                List.of(new BrokerInfo(NODE, "localhost", 9092, null, false)), NODE));
    }

    @Test
    void queuedUpdateWithOlderImageNeverDeletesLogOfTopicCreatedSince() throws Exception {
        addTopic("first");
        replicaManager.reconcileAll();
        MetadataImage older = image.get();
        addTopic("second");
        Partition second = replicaManager.partitionOrThrow(new TopicPartition("second", 0));

        replicaManager.onMetadataUpdate(MetadataImage.EMPTY, older);
        replicaManager.close(); // waits for the queued reconciliation

        assertThat(logManager.getLog("second", 0)).containsSame(second.log());
        assertThat(second.state()).isInstanceOf(ReplicaState.Leader.class);
    }

    /** Seed 004: a partition visible to requests is already in its role, never Offline. */
    @Test
    void partitionIsNeverVisibleBeforeItHasItsRole() throws Exception {
        int count = 300;
        for (int i = 0; i < count; i++) {
            topics.add(new TopicInfo("t" + i, UUID.randomUUID(),
                    List.of(new PartitionInfo(0, List.of(NODE), List.of(NODE), NODE, 0, 0)), Map.of()));
        }
        publish();
        Thread reconciler = new Thread(replicaManager::reconcileAll);
        reconciler.start();
        int seen = 0;
        while (reconciler.isAlive() || seen < count) {
            seen = 0;
            for (int i = 0; i < count; i++) {
                var partition = replicaManager.partition(new TopicPartition("t" + i, 0));
                if (partition.isPresent()) {
                    seen++;
                    assertThat(partition.get().state()).as("t%d-0 as first seen", i)
                            .isInstanceOf(ReplicaState.Leader.class);
                }
            }
            if (!reconciler.isAlive() && seen < count) {
                break;
            }
        }
        reconciler.join();
        assertThat(seen).isEqualTo(count);
    }

    @Test
    void partitionOfTopicMissingFromImageIsUnknown() {
        assertThatThrownBy(() -> replicaManager.partitionOrThrow(new TopicPartition("nope", 0)))
                .isInstanceOf(MillraceException.class)
                .extracting(e -> ((MillraceException) e).code()).isEqualTo(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    }

    @Test
    void deletedTopicLosesItsLogAndRecreatedTopicStartsEmpty() throws Exception {
        TopicInfo original = addTopic("reborn");
        Partition first = replicaManager.partitionOrThrow(new TopicPartition("reborn", 0));
        assertThat(first.log().topicId()).isEqualTo(original.id());

        topics.clear();
        publish();
        replicaManager.reconcileAll();
        assertThat(logManager.getLog("reborn", 0)).isEmpty();

        TopicInfo recreated = addTopic("reborn");
        Partition second = replicaManager.partitionOrThrow(new TopicPartition("reborn", 0));
        assertThat(second.log().topicId()).isEqualTo(recreated.id());
        assertThat(second.log().logEndOffset()).isZero();
    }
}
