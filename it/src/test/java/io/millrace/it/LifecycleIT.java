package io.millrace.it;

import static io.millrace.it.KafkaSupport.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A node's life across a graceful restart, and retention moving the log start, seen by clients. */
class LifecycleIT {

    private static MillraceNode node;

    @BeforeAll
    static void startNode() {
        node = MillraceNode.start(LifecycleIT.class.getSimpleName());
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void sigtermFlushesEverythingSoTheNextStartNeedsNoRecovery() throws Exception {
        String topic = "graceful";
        TopicPartition tp = new TopicPartition(topic, 0);
        KafkaSupport.createTopic(node, topic, 1);
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try (KafkaProducer<String, String> producer = KafkaSupport.producer(node,
                Map.of(ProducerConfig.ACKS_CONFIG, "1", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false"))) {
            for (int i = 0; i < 2_000; i++) {
                sends.add(producer.send(new ProducerRecord<>(topic, 0, "k", "v" + i)));
            }
            producer.flush();
        }
        for (Future<RecordMetadata> send : sends) {
            get(send);
        }
        assertThat(node.stop()).as("exit code after SIGTERM").isEqualTo(143);
        long logBytesBefore = Files.size(node.logFile());

        node.restart();

        String afterRestart = logSince(logBytesBefore);
        assertThat(afterRestart).doesNotContain("recover", "truncat", "No clean shutdown");
        List<ConsumerRecord<String, String>> records = KafkaSupport.readPartition(node, tp, Duration.ofSeconds(60));
        assertThat(records).hasSize(2_000);
        for (int i = 0; i < records.size(); i++) {
            assertThat(records.get(i).offset()).isEqualTo(i);
            assertThat(records.get(i).value()).isEqualTo("v" + i);
        }
    }

    @Test
    void retentionBytesDeletesOldSegmentsAndMovesTheEarliestOffset() {
        String topic = "retained";
        TopicPartition tp = new TopicPartition(topic, 0);
        // Kafka 4's smallest segment.bytes is 1 MiB; about 4 MiB of records make four segments.
        KafkaSupport.createTopic(node, topic, 1, Map.of("segment.bytes", "1048576", "retention.bytes", "1048576"));
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try (KafkaProducer<String, String> producer = KafkaSupport.producer(node, Map.of(
                ProducerConfig.ACKS_CONFIG, "1", ProducerConfig.BATCH_SIZE_CONFIG, "16384"))) {
            for (int i = 0; i < 2_000; i++) {
                sends.add(producer.send(new ProducerRecord<>(topic, 0, "k",
                        "value-%06d-".formatted(i) + "x".repeat(2_000))));
            }
        }
        for (Future<RecordMetadata> send : sends) {
            get(send);
        }
        try (Admin admin = KafkaSupport.admin(node)) {
            await("retention moves the earliest offset").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> get(admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).all()).get(tp).offset() > 0);
            long earliest = get(admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).all()).get(tp).offset();
            long latest = get(admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all()).get(tp).offset();
            assertThat(latest).isEqualTo(2_000);
            List<ConsumerRecord<String, String>> remaining = KafkaSupport.readPartition(node, tp, Duration.ofSeconds(60));
            assertThat(remaining).isNotEmpty();
            assertThat(remaining.get(0).offset()).isEqualTo(earliest);
            assertThat(remaining.get(remaining.size() - 1).offset()).isEqualTo(1_999);
        }
    }

    private static String logSince(long offset) {
        try {
            byte[] all = Files.readAllBytes(node.logFile());
            return new String(all, (int) offset, all.length - (int) offset, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
