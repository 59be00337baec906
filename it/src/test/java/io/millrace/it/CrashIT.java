package io.millrace.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md decision 7: under the default {@code log.flush.policy=durable}, an {@code acks=1}
 * write is acknowledged only once it is on disk, so kill -9 in the middle of a stream of
 * produces loses none of the acknowledged records, duplicates none and reorders none.
 */
class CrashIT {

    /** Acknowledgements to collect before the kill: enough to cross several small segments. */
    private static final int ACKED_BEFORE_KILL = 3000;
    private static MillraceNode node;

    @BeforeAll
    static void startNode() {
        // log.flush.policy is left at its default, which is what this test is about.
        node = MillraceNode.builder(CrashIT.class.getSimpleName())
                .override("log.segment.bytes", Integer.toString(64 * 1024))
                .start();
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void everyAcknowledgedRecordSurvivesKill9ExactlyOnceInOrder() throws InterruptedException {
        String topic = "crash";
        TopicPartition tp = new TopicPartition(topic, 0);
        KafkaSupport.createTopic(node, topic, 1);

        // offset -> value of every acknowledged send; retries=0, so a send is written at most once.
        NavigableMap<Long, String> acked = new ConcurrentSkipListMap<>();
        AtomicLong failedSends = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        KafkaProducer<String, String> producer = KafkaSupport.producer(node, Map.of(
                ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false",
                ProducerConfig.RETRIES_CONFIG, "0",
                ProducerConfig.LINGER_MS_CONFIG, "1",
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "6000",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000"));
        Thread sender = new Thread(() -> {
            for (long seq = 0; !stop.get(); seq++) {
                String value = "seq-" + seq;
                try {
                    producer.send(new ProducerRecord<>(topic, 0, "k", value), (metadata, error) -> {
                        if (error == null) {
                            acked.put(metadata.offset(), value);
                        } else {
                            failedSends.incrementAndGet();
                        }
                    });
                } catch (KafkaException e) {
                    failedSends.incrementAndGet();
                }
            }
        }, "crash-it-sender");
        sender.start();
        try {
            await("acknowledged sends before the kill").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> acked.size() >= ACKED_BEFORE_KILL || !sender.isAlive());
            assertThat(sender.isAlive()).as("sender thread").isTrue();
            node.kill9();
        } finally {
            stop.set(true);
            sender.join(Duration.ofSeconds(30).toMillis());
            producer.close(Duration.ofSeconds(10));
        }
        NavigableMap<Long, String> acknowledged = new TreeMap<>(acked);
        System.out.printf("[CrashIT] %d sends acknowledged, %d failed, before and after kill -9%n",
                acknowledged.size(), failedSends.get());

        node.restart();
        List<ConsumerRecord<String, String>> log = KafkaSupport.readPartition(node, tp, Duration.ofSeconds(120));

        assertOffsetsStrictlyIncrease(log);
        Map<Long, String> valueAt = new HashMap<>();
        Map<String, Integer> copies = new HashMap<>();
        for (ConsumerRecord<String, String> record : log) {
            valueAt.put(record.offset(), record.value());
            copies.merge(record.value(), 1, Integer::sum);
        }
        List<String> missingOrChanged = new ArrayList<>();
        acknowledged.forEach((offset, value) -> {
            if (!value.equals(valueAt.get(offset))) {
                missingOrChanged.add(value + "@" + offset + " (found " + valueAt.get(offset) + ")");
            }
        });
        assertThat(missingOrChanged).as("acknowledged records missing or changed after kill -9 and restart")
                .isEmpty();
        assertThat(copies.entrySet()).as("records present more than once")
                .filteredOn(e -> e.getValue() > 1).isEmpty();
        assertThat(acknowledged.values()).extracting(CrashIT::sequence).as("acknowledged records in offset order")
                .isSorted();

        // The restarted node takes new writes right after what it kept.
        try (KafkaProducer<String, String> after = KafkaSupport.producer(node, Map.of(ProducerConfig.ACKS_CONFIG, "1"))) {
            long offset = KafkaSupport.get(after.send(new ProducerRecord<>(topic, 0, "k", "after-restart"))).offset();
            assertThat(offset).isEqualTo(log.isEmpty() ? 0 : log.get(log.size() - 1).offset() + 1);
        }
    }

    private static void assertOffsetsStrictlyIncrease(List<ConsumerRecord<String, String>> log) {
        for (int i = 1; i < log.size(); i++) {
            assertThat(log.get(i).offset()).as("offset after %d", log.get(i - 1).offset())
                    .isGreaterThan(log.get(i - 1).offset());
        }
    }

    private static long sequence(String value) {
        return Long.parseLong(value.substring("seq-".length()));
    }
}
