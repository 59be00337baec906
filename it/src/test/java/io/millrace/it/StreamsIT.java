package io.millrace.it;

import static io.millrace.it.KafkaSupport.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka Streams 4.3.1, in this JVM, runs the classic word count against the broker.
 *
 * <p>The topology exercises most of what Streams asks of a broker: a consumer group using the
 * classic protocol with Streams' own assignor, internal topics it creates itself (a repartition
 * topic behind the {@code groupBy} and a compacted changelog behind the count store), offset
 * commits every {@value #COMMIT_INTERVAL_MS} ms, and DeleteRecords on the repartition topic once
 * its records are committed. The input has three partitions, so records of one word arrive from
 * several tasks and meet only after the repartition.
 */
class StreamsIT {

    private static final String APP_ID = "word-count-it";
    private static final String INPUT = "streams-lines";
    private static final String OUTPUT = "streams-word-counts";
    private static final String GROUPING = "words";
    private static final String STORE = "word-count-store";
    private static final String REPARTITION_TOPIC = APP_ID + "-" + GROUPING + "-repartition";
    private static final String CHANGELOG_TOPIC = APP_ID + "-" + STORE + "-changelog";
    private static final int PARTITIONS = 3;
    private static final int LINES = 600;
    private static final long COMMIT_INTERVAL_MS = 100;
    private static final Duration PROCESSING_TIMEOUT = Duration.ofSeconds(45);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(20);
    private static final List<String> VOCABULARY = List.of("alder", "beck", "brook", "burn", "channel",
            "culvert", "dam", "eddy", "flume", "ford", "gate", "leat", "mill", "pond", "race", "sluice",
            "spillway", "stream", "tail", "weir", "wheel", "Weir", "MILL");

    private static MillraceNode node;

    @BeforeAll
    static void startNode() {
        // As ReferenceKafka configures Kafka: the first rebalance of a new group need not wait
        // for more members, since all of them start together here.
        node = MillraceNode.builder(StreamsIT.class.getSimpleName())
                .override("group.initial.rebalance.delay.ms", "0")
                .start();
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void wordCountOverThreePartitionsCountsEveryWordExactly() {
        // Under it/target rather than java.io.tmpdir: it stays for diagnosis, and Streams warns
        // that an OS temp directory may be cleared under it.
        Path stateDir = TestEnv.freshWorkDir(StreamsIT.class.getSimpleName() + "-state");
        KafkaSupport.createTopic(node, INPUT, PARTITIONS);
        KafkaSupport.createTopic(node, OUTPUT, PARTITIONS);
        List<String> lines = lines(new Random(20260617L));
        Map<String, Long> expected = countWords(lines);
        produceRoundRobin(lines);

        AtomicReference<Throwable> streamsFailure = new AtomicReference<>();
        KafkaStreams streams = new KafkaStreams(wordCount(), streamsConfig(stateDir));
        boolean closed;
        try {
            streams.setUncaughtExceptionHandler(e -> {
                streamsFailure.compareAndSet(null, e);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            long startNanos = System.nanoTime();
            streams.start();

            Map<String, Long> latest = awaitCounts(expected, streams, streamsFailure);
            assertThat(latest).as("final count per word").isEqualTo(expected);
            long countedMs = (System.nanoTime() - startNanos) / 1_000_000;

            assertInternalTopics();
            awaitRepartitionTopicPurged(streams, streamsFailure);
            System.out.printf("[StreamsIT] all %d words counted %d ms after start; repartition topic purged"
                    + " after %d ms%n", expected.size(), countedMs, (System.nanoTime() - startNanos) / 1_000_000);
        } finally {
            // close() without a timeout would wait for the stream threads forever.
            closed = streams.close(CLOSE_TIMEOUT);
        }
        assertThat(streamsFailure.get()).as("exception that stopped a stream thread").isNull();
        assertThat(closed).as("Streams closed within %s", CLOSE_TIMEOUT).isTrue();
    }

    /** lines → words (lower case) → re-keyed by word → count → output topic. */
    private static Topology wordCount() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(INPUT, Consumed.with(Serdes.String(), Serdes.String()))
                .flatMapValues(line -> Arrays.asList(line.toLowerCase(Locale.ROOT).split("\\s+")))
                .filter((key, word) -> !word.isEmpty())
                .groupBy((key, word) -> word, Grouped.with(GROUPING, Serdes.String(), Serdes.String()))
                .count(Materialized.as(STORE))
                .toStream()
                .to(OUTPUT, Produced.with(Serdes.String(), Serdes.Long()));
        return builder.build();
    }

    private static Properties streamsConfig(Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APP_ID);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrap());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        props.put(StreamsConfig.GROUP_PROTOCOL_CONFIG, "classic");
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(COMMIT_INTERVAL_MS));
        props.put(StreamsConfig.REPARTITION_PURGE_INTERVAL_MS_CONFIG, Long.toString(COMMIT_INTERVAL_MS));
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "2");
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, "1");
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        return props;
    }

    /** Lines of one to eight words; words differ only in case sometimes, so lower-casing matters. */
    private static List<String> lines(Random random) {
        List<String> lines = new ArrayList<>(LINES);
        for (int i = 0; i < LINES; i++) {
            int words = 1 + random.nextInt(8);
            lines.add(IntStream.range(0, words)
                    .mapToObj(w -> VOCABULARY.get(random.nextInt(VOCABULARY.size())))
                    .collect(Collectors.joining(random.nextBoolean() ? " " : "  ")));
        }
        return lines;
    }

    private static Map<String, Long> countWords(List<String> lines) {
        Map<String, Long> counts = new TreeMap<>();
        for (String line : lines) {
            for (String word : line.toLowerCase(Locale.ROOT).split("\\s+")) {
                counts.merge(word, 1L, Long::sum);
            }
        }
        return counts;
    }

    /** Spreads the lines over every input partition explicitly (null keys would stick to one). */
    private static void produceRoundRobin(List<String> lines) {
        try (KafkaProducer<String, String> producer = KafkaSupport.producer(node, Map.of(
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, "5"))) {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                sends.add(producer.send(new ProducerRecord<>(INPUT, i % PARTITIONS, null, lines.get(i))));
            }
            producer.flush();
            sends.forEach(KafkaSupport::get);
        }
    }

    /**
     * Reads the output topic until the latest count of every word equals {@code expected}, or
     * fails with what it has so far. Within a partition the last record of a word is its newest
     * count, and all records of a word share one partition.
     */
    private static Map<String, Long> awaitCounts(Map<String, Long> expected, KafkaStreams streams,
                                                 AtomicReference<Throwable> streamsFailure) {
        Map<String, Long> latest = new TreeMap<>();
        List<TopicPartition> partitions = IntStream.range(0, PARTITIONS)
                .mapToObj(p -> new TopicPartition(OUTPUT, p)).toList();
        try (KafkaConsumer<String, Long> consumer = new KafkaConsumer<>(outputConsumerConfig())) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await("word counts in " + OUTPUT).atMost(PROCESSING_TIMEOUT)
                    .pollInSameThread().pollInterval(Duration.ZERO).pollDelay(Duration.ZERO)
                    .untilAsserted(() -> {
                        assertThat(streamsFailure.get()).as("exception that stopped a stream thread").isNull();
                        assertThat(streams.state()).as("Streams state").isNotIn(
                                KafkaStreams.State.ERROR, KafkaStreams.State.NOT_RUNNING);
                        for (ConsumerRecord<String, Long> record : consumer.poll(Duration.ofMillis(200))) {
                            latest.put(record.key(), record.value());
                        }
                        assertThat(latest).as("latest count per word (Streams state %s)", streams.state())
                                .isEqualTo(expected);
                    });
        }
        return latest;
    }

    private static Properties outputConsumerConfig() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrap());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, LongDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return props;
    }

    /** Streams created both internal topics with the input's partition count; the changelog is compacted. */
    private static void assertInternalTopics() {
        try (Admin admin = KafkaSupport.admin(node)) {
            Map<String, TopicDescription> topics = get(admin.describeTopics(
                    List.of(REPARTITION_TOPIC, CHANGELOG_TOPIC)).allTopicNames());
            assertThat(topics.get(REPARTITION_TOPIC).partitions()).as("partitions of %s", REPARTITION_TOPIC)
                    .hasSize(PARTITIONS);
            assertThat(topics.get(CHANGELOG_TOPIC).partitions()).as("partitions of %s", CHANGELOG_TOPIC)
                    .hasSize(PARTITIONS);
            ConfigResource changelog = new ConfigResource(ConfigResource.Type.TOPIC, CHANGELOG_TOPIC);
            String cleanupPolicy = get(admin.describeConfigs(List.of(changelog)).all())
                    .get(changelog).get("cleanup.policy").value();
            assertThat(cleanupPolicy).as("cleanup.policy of %s", CHANGELOG_TOPIC).isEqualTo("compact");
        }
    }

    /**
     * Once the repartitioned records are processed and committed, Streams deletes them with
     * DeleteRecords: the earliest offset of the repartition topic's partitions moves past zero.
     */
    private static void awaitRepartitionTopicPurged(KafkaStreams streams, AtomicReference<Throwable> streamsFailure) {
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            earliest.put(new TopicPartition(REPARTITION_TOPIC, p), OffsetSpec.earliest());
        }
        try (Admin admin = KafkaSupport.admin(node)) {
            await("DeleteRecords on " + REPARTITION_TOPIC).atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> {
                        assertThat(streamsFailure.get()).as("exception that stopped a stream thread").isNull();
                        Map<TopicPartition, Long> starts = new TreeMap<>(
                                Comparator.comparing(TopicPartition::toString));
                        get(admin.listOffsets(earliest).all()).forEach((tp, info) -> starts.put(tp, info.offset()));
                        assertThat(starts.values().stream().mapToLong(Long::longValue).sum())
                                .as("earliest offsets of %s (Streams state %s)", starts, streams.state())
                                .isPositive();
                    });
        }
    }
}
