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
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A node's life across a graceful restart, and retention moving the log start, seen by clients. */
class LifecycleIT {

    private static final int IN_FLIGHT_PARTITIONS = 3;
    /** Acknowledgements to collect before SIGTERM, so the signal lands in a steady stream of produces. */
    private static final int ACKED_BEFORE_SIGTERM = 3_000;
    /** From SIGTERM to exit; well under MillraceNode's own 30 s limit, after which it kills the node. */
    private static final Duration SIGTERM_EXIT_LIMIT = Duration.ofSeconds(20);
    /** Producer delivery timeout: a send the stopped broker never answered fails after this. */
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(6);

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

    /**
     * SIGTERM in the middle of a stream of idempotent {@code acks=all} produces to three
     * partitions: the node exits by itself with the same code as an idle SIGTERM, every send
     * completes one way or the other, the restart needs no recovery, and every acknowledged record
     * is in the log exactly once, in the order it was sent to its partition.
     */
    @Test
    void sigtermDuringInFlightProducesKeepsEveryAcknowledgedRecordOnceInOrder() throws Exception {
        String topic = "in-flight";
        KafkaSupport.createTopic(node, topic, IN_FLIGHT_PARTITIONS);
        InFlightSends sends = new InFlightSends();
        KafkaProducer<String, String> producer = KafkaSupport.producer(node, Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5",
                ProducerConfig.LINGER_MS_CONFIG, "2",
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(DELIVERY_TIMEOUT.toMillis()),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000"));
        AtomicBoolean stop = new AtomicBoolean();
        Thread sender = new Thread(() -> sends.sendUntil(producer, topic, stop), "lifecycle-it-sender");
        sender.start();
        long logBytesBefore = Files.size(node.logFile());
        int exitCode;
        long stopMs;
        try {
            await("acknowledged sends before SIGTERM").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> sends.ackedCount() >= ACKED_BEFORE_SIGTERM || !sender.isAlive());
            assertThat(sender.isAlive()).as("sender thread").isTrue();
            long stopStartNs = System.nanoTime();
            exitCode = node.stop();
            stopMs = Duration.ofNanos(System.nanoTime() - stopStartNs).toMillis();
        } finally {
            stop.set(true);
            sender.join(Duration.ofSeconds(30).toMillis());
        }
        await("every send callback completes after SIGTERM").atMost(DELIVERY_TIMEOUT.multipliedBy(3))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> sends.outstanding().isEmpty());
        producer.close(Duration.ofSeconds(10));
        System.out.printf("[LifecycleIT] SIGTERM exit after %d ms; %d sends acknowledged, %d failed, %d thrown%n",
                stopMs, sends.ackedCount(), sends.failed.get(), sends.thrown.get());

        assertThat(exitCode).as("exit code after SIGTERM with produces in flight").isEqualTo(143);
        assertThat(stopMs).as("ms from SIGTERM to exit").isLessThan(SIGTERM_EXIT_LIMIT.toMillis());
        assertShutDownCleanly(logSince(logBytesBefore));
        assertThat(node.dataDir().resolve(".millrace_clean_shutdown")).as("clean-shutdown marker").exists();

        long logBytesBeforeRestart = Files.size(node.logFile());
        node.restart();
        assertThat(logSince(logBytesBeforeRestart)).doesNotContain("recover", "truncat", "No clean shutdown");
        for (int p = 0; p < IN_FLIGHT_PARTITIONS; p++) {
            TopicPartition tp = new TopicPartition(topic, p);
            assertAcknowledgedOnceInSendOrder(tp, sends.acked.get(p),
                    KafkaSupport.readPartition(node, tp, Duration.ofSeconds(120)));
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

    private static void assertShutDownCleanly(String shutdownLog) {
        assertThat(shutdownLog).as("node log from SIGTERM to exit")
                .contains("Node " + node.nodeId() + " shutting down", "Node " + node.nodeId() + " stopped")
                .doesNotContain("ERROR", "Exception");
    }

    private static void assertAcknowledgedOnceInSendOrder(TopicPartition tp, NavigableMap<Long, Long> acked,
                                                          List<ConsumerRecord<String, String>> log) {
        Map<Long, Long> seqAt = new TreeMap<>();
        Map<Long, Integer> copies = new TreeMap<>();
        List<Long> seqsInLogOrder = new ArrayList<>();
        for (ConsumerRecord<String, String> record : log) {
            long seq = InFlightSends.sequence(record.value());
            seqAt.put(record.offset(), seq);
            copies.merge(seq, 1, Integer::sum);
            seqsInLogOrder.add(seq);
        }
        List<String> missingOrChanged = new ArrayList<>();
        acked.forEach((offset, seq) -> {
            if (!seq.equals(seqAt.get(offset))) {
                missingOrChanged.add("seq-" + seq + "@" + offset + " (found " + seqAt.get(offset) + ")");
            }
        });
        System.out.printf("[LifecycleIT] %s: %d records in the log, %d of them acknowledged%n",
                tp, log.size(), acked.size());
        assertThat(missingOrChanged).as("%s: acknowledged records missing or changed after SIGTERM and restart", tp)
                .isEmpty();
        assertThat(copies.entrySet()).as("%s: records present more than once", tp)
                .filteredOn(e -> e.getValue() > 1).isEmpty();
        assertThat(List.copyOf(acked.values())).as("%s: acknowledged records in offset order", tp).isSorted();
        assertThat(seqsInLogOrder).as("%s: every record in the log, in send order", tp).isSorted();
    }

    /**
     * Sends {@code seq-N} to partition {@code N % 3} as fast as the producer takes them and keeps
     * track of every send until its callback runs (or {@code send} throws, which runs none).
     */
    private static final class InFlightSends {
        /** partition -> offset -> sequence number, of every acknowledged send. */
        final Map<Integer, NavigableMap<Long, Long>> acked = new ConcurrentHashMap<>();
        private final Set<Long> outstanding = ConcurrentHashMap.newKeySet();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong thrown = new AtomicLong();
        private final AtomicLong ackedCount = new AtomicLong();

        InFlightSends() {
            for (int p = 0; p < IN_FLIGHT_PARTITIONS; p++) {
                acked.put(p, new ConcurrentSkipListMap<>());
            }
        }

        void sendUntil(KafkaProducer<String, String> producer, String topic, AtomicBoolean stop) {
            for (long seq = 0; !stop.get(); seq++) {
                long sent = seq;
                int partition = (int) (seq % IN_FLIGHT_PARTITIONS);
                outstanding.add(sent);
                try {
                    producer.send(new ProducerRecord<>(topic, partition, "k", "seq-" + sent), (metadata, error) -> {
                        if (error == null) {
                            acked.get(partition).put(metadata.offset(), sent);
                            ackedCount.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                        }
                        outstanding.remove(sent);
                    });
                } catch (KafkaException e) {
                    thrown.incrementAndGet();
                    outstanding.remove(sent);
                }
            }
        }

        long ackedCount() {
            return ackedCount.get();
        }

        Set<Long> outstanding() {
            return outstanding;
        }

        static long sequence(String value) {
            return Long.parseLong(value.substring("seq-".length()));
        }
    }
}
