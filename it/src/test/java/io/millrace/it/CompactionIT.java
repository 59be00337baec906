package io.millrace.it;

import static io.millrace.it.KafkaSupport.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Log compaction seen by clients: after the cleaner ran, a compacted partition holds the latest
 * record of each key at the offset the producer was given for it, tombstones vanish once
 * {@code delete.retention.ms} has passed, and records without a key are refused.
 *
 * <p>The cleaner never touches the active segment and sleeps 15 s when it finds nothing to do, so
 * the waits produce one filler record per poll: a segment rolls on the first append after
 * {@code segment.ms}, which seals the segment before it and gives the cleaner something to clean.
 * The fillers are large enough that each one alone lifts the dirty ratio above
 * {@code min.cleanable.dirty.ratio}.
 */
class CompactionIT {

    private static final int KEYS = 200;
    private static final int UPDATES_PER_KEY = 50;
    /** Keys {@code key-000}, {@code key-005}, ... get a tombstone after their last update. */
    private static final int TOMBSTONE_EVERY = 5;
    private static final String FILLER_KEY = "filler";
    private static final long SEGMENT_MS = 500;
    private static final long DELETE_RETENTION_MS = 1_000;
    /** Two cleaner backoffs of 15 s and then some, for each of the two waits. */
    private static final Duration CLEANER_WAIT = Duration.ofSeconds(90);
    private static final Duration POLL_INTERVAL = Duration.ofSeconds(2);
    private static final Map<String, String> COMPACTED = Map.of(
            "cleanup.policy", "compact",
            "segment.bytes", "1048576",
            "segment.ms", Long.toString(SEGMENT_MS),
            "min.cleanable.dirty.ratio", "0.01",
            "delete.retention.ms", Long.toString(DELETE_RETENTION_MS),
            "min.compaction.lag.ms", "0");

    private static MillraceNode node;

    @BeforeAll
    static void startNode() {
        node = MillraceNode.start(CompactionIT.class.getSimpleName());
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void cleanerKeepsTheLatestRecordOfEachKeyAtItsOffsetAndLaterDropsTombstones() {
        String topic = "compacted";
        TopicPartition tp = new TopicPartition(topic, 0);
        KafkaSupport.createTopic(node, topic, 1, COMPACTED);
        Produced produced = new Produced();
        try (KafkaProducer<String, String> producer = KafkaSupport.producer(node, Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, "5"))) {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            List<ProducerRecord<String, String>> records = new ArrayList<>();
            for (int update = 0; update < UPDATES_PER_KEY; update++) {
                for (int k = 0; k < KEYS; k++) {
                    records.add(new ProducerRecord<>(topic, 0, key(k), "%s-update-%02d".formatted(key(k), update)));
                }
            }
            for (int k = 0; k < KEYS; k += TOMBSTONE_EVERY) {
                records.add(new ProducerRecord<>(topic, 0, key(k), null));
            }
            for (ProducerRecord<String, String> record : records) {
                sends.add(producer.send(record));
            }
            producer.flush();
            for (int i = 0; i < records.size(); i++) {
                produced.add(records.get(i).key(), records.get(i).value(), get(sends.get(i)).offset());
            }

            await("every update but the latest of each key compacted away").atMost(CLEANER_WAIT)
                    .pollInterval(POLL_INTERVAL)
                    .untilAsserted(() -> {
                        List<ConsumerRecord<String, String>> log = rollAndRead(producer, tp, produced);
                        produced.assertConsistent(log);
                        Map<String, Integer> copies = copiesByKey(log);
                        for (int k = 0; k < KEYS; k++) {
                            // A tombstone may already be gone if two cleanings fell into this wait.
                            if (isTombstoned(k)) {
                                assertThat(copies.getOrDefault(key(k), 0)).as("records of tombstoned %s", key(k))
                                        .isLessThanOrEqualTo(1);
                            } else {
                                assertThat(copies.getOrDefault(key(k), 0)).as("records of %s", key(k))
                                        .isEqualTo(1);
                            }
                        }
                        assertThat(log.size()).as("records left of %d produced", produced.count())
                                .isLessThan(produced.count() / 10);
                    });

            await("tombstones dropped after delete.retention.ms").atMost(CLEANER_WAIT)
                    .pollInterval(POLL_INTERVAL)
                    .untilAsserted(() -> {
                        List<ConsumerRecord<String, String>> log = rollAndRead(producer, tp, produced);
                        produced.assertConsistent(log);
                        Map<String, Integer> copies = copiesByKey(log);
                        for (int k = 0; k < KEYS; k++) {
                            assertThat(copies.getOrDefault(key(k), 0)).as("records of %s", key(k))
                                    .isEqualTo(isTombstoned(k) ? 0 : 1);
                        }
                        assertThat(log).as("records with a null value").noneMatch(r -> r.value() == null);
                    });
        }
    }

    @Test
    void recordWithoutKeyIsRefusedWithInvalidRecord() {
        String topic = "compacted-keyless";
        TopicPartition tp = new TopicPartition(topic, 0);
        KafkaSupport.createTopic(node, topic, 1, COMPACTED);
        try (KafkaProducer<String, String> producer = KafkaSupport.producer(node, Map.of(
                ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false",
                ProducerConfig.RETRIES_CONFIG, "0"))) {
            Future<RecordMetadata> keyless = producer.send(new ProducerRecord<>(topic, 0, null, "no key"));
            assertThatThrownBy(() -> keyless.get(KafkaSupport.CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .hasCauseInstanceOf(InvalidRecordException.class);
            assertThat(get(producer.send(new ProducerRecord<>(topic, 0, "k", "keyed"))).offset()).isZero();
        }
        assertThat(KafkaSupport.readPartition(node, tp, Duration.ofSeconds(60)))
                .extracting(ConsumerRecord::value).containsExactly("keyed");
    }

    /**
     * Appends one filler record, which rolls the active segment when it is older than
     * {@code segment.ms}, then reads the whole partition.
     */
    private static List<ConsumerRecord<String, String>> rollAndRead(KafkaProducer<String, String> producer,
                                                                    TopicPartition tp, Produced produced) {
        String value = "filler-%04d-".formatted(produced.count()) + "f".repeat(2_000);
        long offset = get(producer.send(new ProducerRecord<>(tp.topic(), tp.partition(), FILLER_KEY, value))).offset();
        produced.add(FILLER_KEY, value, offset);
        return KafkaSupport.readPartition(node, tp, Duration.ofSeconds(60));
    }

    private static Map<String, Integer> copiesByKey(List<ConsumerRecord<String, String>> log) {
        Map<String, Integer> copies = new HashMap<>();
        log.forEach(r -> copies.merge(r.key(), 1, Integer::sum));
        return copies;
    }

    private static boolean isTombstoned(int k) {
        return k % TOMBSTONE_EVERY == 0;
    }

    private static String key(int k) {
        return "key-%03d".formatted(k);
    }

    /** What the producer was told: the offset of every value, and each key's latest record. */
    private static final class Produced {
        private final Map<String, Long> offsetByValue = new HashMap<>();
        private final Map<String, Long> latestOffsetByKey = new LinkedHashMap<>();
        private final Map<String, String> latestValueByKey = new HashMap<>();
        private int count;

        void add(String key, String value, long offset) {
            if (value != null) {
                offsetByValue.put(value, offset);
            }
            latestOffsetByKey.put(key, offset);
            latestValueByKey.put(key, value);
            count++;
        }

        int count() {
            return count;
        }

        /**
         * What holds of the partition at any time, compacted or not: offsets strictly increase,
         * every record sits at the offset its value was acknowledged at, and the last record of a
         * key is the latest one produced for it.
         */
        void assertConsistent(List<ConsumerRecord<String, String>> log) {
            Map<String, ConsumerRecord<String, String>> lastByKey = new HashMap<>();
            long previous = -1;
            for (ConsumerRecord<String, String> record : log) {
                assertThat(record.offset()).as("offset after %d", previous).isGreaterThan(previous);
                previous = record.offset();
                assertThat(record.key()).as("key at offset %d", record.offset()).isNotNull();
                if (record.value() == null) {
                    assertThat(record.offset()).as("tombstone of %s", record.key())
                            .isEqualTo(latestOffsetByKey.get(record.key()));
                } else {
                    assertThat(record.offset()).as("offset of %s", record.value())
                            .isEqualTo(offsetByValue.get(record.value()));
                }
                lastByKey.put(record.key(), record);
            }
            lastByKey.forEach((key, last) -> {
                assertThat(last.value()).as("last value of %s", key).isEqualTo(latestValueByKey.get(key));
                assertThat(last.offset()).as("offset of the last record of %s", key)
                        .isEqualTo(latestOffsetByKey.get(key));
            });
        }
    }
}
