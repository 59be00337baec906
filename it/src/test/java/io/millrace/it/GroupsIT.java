package io.millrace.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Kafka's classic consumer-group protocol (FindCoordinator, JoinGroup, SyncGroup, Heartbeat,
 * LeaveGroup, OffsetCommit, OffsetFetch) driven by the Java consumer with {@code subscribe()}:
 * a group that grows and shrinks while records keep arriving consumes each record exactly once,
 * and a group consumer reads a large topic completely without stalling (SCENARIOS.md S3, on one
 * node).
 *
 * <p>The group settings, {@code group.initial.rebalance.delay.ms} included, are the node's
 * defaults.
 */
class GroupsIT {

    private static final int PARTITIONS = 3;
    /**
     * Records in the S3 topic after the first 5,000. SCENARIOS.md S3 says 1,000,000; the default
     * can be lowered for a quick run: {@code -Dmillrace.it.s3.records=200000}.
     */
    private static final int S3_RECORDS = Integer.getInteger("millrace.it.s3.records", 1_000_000);
    private static final int S3_FIRST_RECORDS = 5_000;
    private static final String S3_TOPIC = "s3-consume-everything";
    private static final int S3_VALUE_BYTES = 64;
    /** While lag remains, the group consumer may go this long without a record (S3: "no second without progress"). */
    private static final Duration S3_MAX_STALL = Duration.ofSeconds(1);

    private static MillraceNode node;
    private static long s3ValueBytes;

    @BeforeAll
    static void startNode() {
        node = MillraceNode.start(GroupsIT.class.getSimpleName());
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    /**
     * One member, then three, then one again, while a producer keeps writing keyed records; members
     * commit synchronously on revocation and every 500 ms. Each rebalance hands every partition over
     * at the committed position, so across all members every record is consumed exactly once: no
     * offset twice, none missing.
     */
    @ParameterizedTest(name = "partition.assignment.strategy={0}")
    @ValueSource(strings = {"range", "cooperative-sticky"})
    void growingAndShrinkingGroupConsumesEveryRecordExactlyOnce(String assignor) {
        String topic = "grow-shrink-" + assignor;
        String group = "grow-shrink-" + assignor;
        KafkaSupport.createTopic(node, topic, PARTITIONS);
        Map<String, Object> consumerConfig = Map.of(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                assignor.equals("range") ? RangeAssignor.class.getName() : CooperativeStickyAssignor.class.getName());
        GroupMember.Ledger ledger = new GroupMember.Ledger();
        List<GroupMember> members = new ArrayList<>();
        List<GroupMember> everyMember = new ArrayList<>();
        long startNanos = System.nanoTime();
        Map<TopicPartition, Long> ends;
        BackgroundProducer producer = BackgroundProducer.start(node, topic, 1_500, Map.of(
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"));
        try {
            try {
                members.add(member("c1", group, topic, ledger, consumerConfig, everyMember));
                awaitBalanced(topic, members, "one member");
                members.add(member("c2", group, topic, ledger, consumerConfig, everyMember));
                awaitBalanced(topic, members, "two members");
                members.add(member("c3", group, topic, ledger, consumerConfig, everyMember));
                awaitBalanced(topic, members, "three members");
                members.remove(2).close();
                awaitBalanced(topic, members, "c3 left");
                members.remove(1).close();
                awaitBalanced(topic, members, "c2 left, one member");
            } finally {
                producer.close();
            }
            assertThat(producer.failed()).as("failed sends: %s", producer).isZero();
            ends = KafkaSupport.endOffsets(node, topic, PARTITIONS);
            assertThat(ends.values().stream().mapToLong(Long::longValue).sum()).as("records in the topic")
                    .isEqualTo(producer.acked());
            GroupMember last = members.get(0);
            await("the last member consumes up to the end offsets " + ends).atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> {
                        last.assertHealthy();
                        ends.forEach((tp, end) -> assertThat(ledger.distinct(tp)).as("%s", tp).isEqualTo(end));
                    });
        } finally {
            everyMember.forEach(GroupMember::close);
        }
        System.out.printf("[GroupsIT] %s: %d records consumed by c1..c3 in %d ms; members %s%n", assignor,
                ledger.total(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), everyMember);

        assertThat(everyMember).allSatisfy(member -> {
            assertThat(member.failedCommits()).as("commits of %s that failed for good", member).isZero();
            assertThat(member.lostPartitions()).as("partitions %s lost without revocation", member).isZero();
        });
        ends.forEach((tp, end) -> {
            assertThat(ledger.missing(tp, end, 20)).as("offsets of %s never consumed", tp).isEmpty();
            assertThat(ledger.beyond(tp, end)).as("offsets of %s past its end %d", tp, end).isEmpty();
        });
        assertThat(ledger.duplicates()).as("offsets consumed more than once").isEmpty();
        assertThat(KafkaSupport.committedOffsets(node, group)).as("committed offsets of %s", group).isEqualTo(ends);
    }

    /** The S3 consumer settings: Kafka's defaults, and many records per poll from small fetches. */
    enum S3Settings {
        DEFAULTS(Map.of()),
        MAX_POLL_RECORDS_5000_FETCH_MAX_BYTES_64K(Map.of(
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000",
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(64 * 1024)));

        final Map<String, Object> overrides;

        S3Settings(Map<String, Object> overrides) {
            this.overrides = overrides;
        }
    }

    /**
     * SCENARIOS.md S3 on one node: a group consumer reads all of a 3-partition topic holding 5,000
     * and then {@link #S3_RECORDS} more records, with no gap in any partition's offsets and, once
     * it has joined, never a second without a record while lag remains; its offsets are committed
     * (auto-commit, Kafka's default) up to the end when it closes.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(S3Settings.class)
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void groupConsumerReadsEveryRecordWithoutStalling(S3Settings settings) {
        Map<TopicPartition, Long> ends = s3Topic();
        long total = ends.values().stream().mapToLong(Long::longValue).sum();
        String group = "s3-" + settings.name().toLowerCase();
        Map<String, Object> config = new HashMap<>(settings.overrides);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "true");
        long[] next = new long[PARTITIONS];
        List<String> gaps = new ArrayList<>();
        List<String> stalls = new ArrayList<>();
        Map<Long, Long> perSecond = new HashMap<>();
        long consumed = 0;
        long subscribedNanos = System.nanoTime();
        long firstNanos = -1;
        long lastProgressNanos = -1;
        long deadline = subscribedNanos + Duration.ofMinutes(10).toNanos();
        try (KafkaConsumer<String, String> consumer = KafkaSupport.consumer(node, config)) {
            consumer.subscribe(List.of(S3_TOPIC));
            while (consumed < total) {
                assertThat(System.nanoTime()).as("consumed %d of %d records within 10 minutes", consumed, total)
                        .isLessThan(deadline);
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                long now = System.nanoTime();
                if (records.isEmpty()) {
                    continue;
                }
                if (firstNanos < 0) {
                    firstNanos = now;
                } else if (now - lastProgressNanos > S3_MAX_STALL.toNanos()) {
                    stalls.add("%d ms without a record after %d of %d records".formatted(
                            TimeUnit.NANOSECONDS.toMillis(now - lastProgressNanos), consumed, total));
                }
                lastProgressNanos = now;
                for (ConsumerRecord<String, String> record : records) {
                    int p = record.partition();
                    if (record.offset() != next[p] && gaps.size() < 20) {
                        gaps.add("partition %d: offset %d after %d".formatted(p, record.offset(), next[p] - 1));
                    }
                    next[p] = record.offset() + 1;
                }
                consumed += records.count();
                perSecond.merge(TimeUnit.NANOSECONDS.toSeconds(now - firstNanos), (long) records.count(), Long::sum);
            }
            assertThat(consumer.poll(Duration.ofMillis(500))).as("records past the end offsets %s", ends).isEmpty();
        }
        long elapsedNanos = Math.max(1, lastProgressNanos - firstNanos);
        double seconds = elapsedNanos / 1e9;
        System.out.printf("[GroupsIT] S3 %s: %d records in %.2f s after the first one (%d ms from subscribe to "
                        + "the first): %.0f msg/s, %.1f MB/s of values; slowest full second %d records%n",
                settings, consumed, seconds, TimeUnit.NANOSECONDS.toMillis(firstNanos - subscribedNanos),
                consumed / seconds, s3ValueBytes / seconds / 1e6,
                perSecond.entrySet().stream().filter(e -> e.getKey() < perSecond.size() - 1)
                        .mapToLong(Map.Entry::getValue).min().orElse(consumed));

        assertThat(gaps).as("offsets skipped or repeated").isEmpty();
        for (int p = 0; p < PARTITIONS; p++) {
            TopicPartition tp = new TopicPartition(S3_TOPIC, p);
            assertThat(next[p]).as("next offset of %s", tp).isEqualTo(ends.get(tp));
        }
        assertThat(consumed).isEqualTo(total);
        assertThat(stalls).as("seconds without progress while lag remained").isEmpty();
        assertThat(KafkaSupport.committedOffsets(node, group)).as("offsets auto-committed by %s on close", group)
                .isEqualTo(ends);
    }

    /** Creates and fills the S3 topic on first use; returns its end offsets. */
    private static synchronized Map<TopicPartition, Long> s3Topic() {
        if (s3ValueBytes == 0) {
            KafkaSupport.createTopic(node, S3_TOPIC, PARTITIONS);
            long startNanos = System.nanoTime();
            s3ValueBytes = produceS3(0, S3_FIRST_RECORDS) + produceS3(S3_FIRST_RECORDS, S3_RECORDS);
            long ms = Math.max(1, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
            System.out.printf("[GroupsIT] S3: produced %d + %d records in %d ms (%d msg/s)%n",
                    S3_FIRST_RECORDS, S3_RECORDS, ms, (S3_FIRST_RECORDS + S3_RECORDS) * 1000L / ms);
        }
        Map<TopicPartition, Long> ends = KafkaSupport.endOffsets(node, S3_TOPIC, PARTITIONS);
        assertThat(ends.values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(S3_FIRST_RECORDS + S3_RECORDS);
        return ends;
    }

    /** Sends {@code count} records round-robin over the partitions with acks=1; returns their value bytes. */
    private static long produceS3(int first, int count) {
        AtomicLong failed = new AtomicLong();
        AtomicReference<Exception> firstError = new AtomicReference<>();
        String padding = "x".repeat(S3_VALUE_BYTES - 10);
        try (KafkaProducer<String, String> producer = KafkaSupport.producer(node, Map.of(
                ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false",
                ProducerConfig.LINGER_MS_CONFIG, "20",
                ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024),
                ProducerConfig.BUFFER_MEMORY_CONFIG, Integer.toString(64 * 1024 * 1024),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000"))) {
            for (int i = first; i < first + count; i++) {
                producer.send(new ProducerRecord<>(S3_TOPIC, i % PARTITIONS, null, "%010d".formatted(i) + padding),
                        (metadata, error) -> {
                            if (error != null) {
                                failed.incrementAndGet();
                                firstError.compareAndSet(null, error);
                            }
                        });
            }
            producer.flush();
        }
        assertThat(failed.get()).as("failed sends, first: %s", firstError.get()).isZero();
        return (long) count * S3_VALUE_BYTES;
    }

    private static GroupMember member(String name, String group, String topic, GroupMember.Ledger ledger,
                                      Map<String, Object> config, List<GroupMember> everyMember) {
        GroupMember member = GroupMember.start(name, node, group, topic, ledger, config, Duration.ofMillis(500));
        everyMember.add(member);
        return member;
    }

    /**
     * Waits until {@code members} own all partitions between them, each at least one and none
     * twice, and each has consumed records since its last assignment.
     */
    /**
     * {@code /metrics} reports groups by state, rebalances, commits and per-partition lag (Millrace
     * only: the reference Kafka has no such endpoint).
     */
    @Test
    void metricsReportGroupsCommitsAndLag() throws Exception {
        assumeFalse(ReferenceKafka.enabled(), "Kafka has no /metrics endpoint");
        String topic = "metrics-lag";
        String group = "metrics-group";
        KafkaSupport.createTopic(node, topic, 1);
        try (KafkaProducer<String, String> producer = KafkaSupport.producer(node, Map.of())) {
            for (int i = 0; i < 10; i++) {
                KafkaSupport.get(producer.send(new ProducerRecord<>(topic, 0, "k" + i, "v" + i)));
            }
        }
        try (KafkaConsumer<String, String> consumer = KafkaSupport.consumer(node, Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"))) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> !consumer.poll(Duration.ofMillis(100)).isEmpty()
                    || !consumer.assignment().isEmpty());
            consumer.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(4)));
            String stable = metrics();
            assertThat(stable).contains("millrace_groups{state=\"Stable\"}");
            assertThat(metricValue(stable, "millrace_groups{state=\"Stable\"}")).isGreaterThanOrEqualTo(1.0);
            assertThat(metricValue(stable, "millrace_group_rebalances_total")).isGreaterThanOrEqualTo(1.0);
            assertThat(metricValue(stable, "millrace_group_offset_commits_total")).isGreaterThanOrEqualTo(1.0);
            assertThat(metricValue(stable, "millrace_group_consumer_lag{group=\"" + group + "\",partition=\"0\",topic=\""
                    + topic + "\"}")).isEqualTo(6.0);
        }
    }

    private static String metrics() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + node.httpPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static double metricValue(String exposition, String series) {
        return exposition.lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1).trim()))
                .orElseThrow(() -> new AssertionError("no series " + series + " in /metrics"));
    }

    private static void awaitBalanced(String topic, List<GroupMember> members, String stage) {
        Set<TopicPartition> all = IntStream.range(0, PARTITIONS)
                .mapToObj(p -> new TopicPartition(topic, p))
                .collect(Collectors.toSet());
        await(stage + ": every partition owned by exactly one member, each member consuming")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    Set<TopicPartition> owned = new HashSet<>();
                    int owning = 0;
                    for (GroupMember member : members) {
                        member.assertHealthy();
                        Set<TopicPartition> assignment = member.assignment();
                        assertThat(assignment).as("%s", member).isNotEmpty();
                        for (TopicPartition tp : assignment) {
                            assertThat(owned.add(tp)).as("%s owned by two members", tp).isTrue();
                        }
                        assertThat(member.consumedSinceAssignment()).as("%s consumed since assigned", member)
                                .isGreaterThanOrEqualTo(20);
                        owning++;
                    }
                    assertThat(owned).isEqualTo(all);
                    assertThat(owning).isEqualTo(members.size());
                });
    }
}
