package io.millrace.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka's own command-line tools (4.3.1, from Maven Central) against a node: kafka-topics,
 * kafka-console-producer/-consumer, kafka-consumer-groups, kafka-configs and kafka-dump-log,
 * each run as its own JVM like the shell scripts would.
 */
class KafkaCliIT {

    private static final String TOPIC_COMMAND = "org.apache.kafka.tools.TopicCommand";
    private static final String CONSOLE_PRODUCER = "org.apache.kafka.tools.ConsoleProducer";
    private static final String CONSOLE_CONSUMER = "org.apache.kafka.tools.consumer.ConsoleConsumer";
    private static final String CONSUMER_GROUPS = "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand";
    private static final String CONFIG_COMMAND = "kafka.admin.ConfigCommand";
    private static final String DUMP_LOG = "org.apache.kafka.tools.DumpLogSegments";
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(120);

    private static MillraceNode node;

    @BeforeAll
    static void startNode() {
        node = MillraceNode.start(KafkaCliIT.class.getSimpleName());
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void kafkaTopicsCreatesDescribesListsAndDeletes() {
        String topic = "cli-topics";
        Clients.Result created = tool(TOPIC_COMMAND, null, "--bootstrap-server", node.bootstrap(),
                "--create", "--topic", topic, "--partitions", "2", "--replication-factor", "1").assertSuccess();
        assertThat(created.stdout()).contains("Created topic " + topic);

        Clients.Result listed = tool(TOPIC_COMMAND, null, "--bootstrap-server", node.bootstrap(), "--list")
                .assertSuccess();
        assertThat(listed.stdoutLines()).contains(topic);

        Clients.Result described = tool(TOPIC_COMMAND, null, "--bootstrap-server", node.bootstrap(),
                "--describe", "--topic", topic).assertSuccess();
        assertThat(described.stdout())
                .contains("PartitionCount: 2", "ReplicationFactor: 1")
                .contains("Partition: 0", "Partition: 1")
                .contains("Leader: " + node.nodeId())
                .doesNotContain("Leader: none", "Leader: -1");

        tool(TOPIC_COMMAND, null, "--bootstrap-server", node.bootstrap(), "--delete", "--topic", topic)
                .assertSuccess();
        try (Admin admin = KafkaSupport.admin(node)) {
            await("topic deleted").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(KafkaSupport.get(admin.listTopics().names())).doesNotContain(topic));
        }
    }

    @Test
    void consoleProducerThenConsoleConsumerFromPartitionAndOffset() {
        String topic = "cli-console";
        KafkaSupport.createTopic(node, topic, 1);
        produceWithConsoleProducer(topic, "k1:one\nk2:two\nk3:three\n");

        Clients.Result fromOffset = tool(CONSOLE_CONSUMER, null, "--bootstrap-server", node.bootstrap(),
                "--topic", topic, "--partition", "0", "--offset", "1", "--max-messages", "2",
                "--timeout-ms", "30000",
                "--formatter-property", "print.key=true", "--formatter-property", "key.separator=:")
                .assertSuccess();
        assertThat(fromOffset.stdoutLines()).containsExactly("k2:two", "k3:three");

        Clients.Result fromEarliest = tool(CONSOLE_CONSUMER, null, "--bootstrap-server", node.bootstrap(),
                "--topic", topic, "--partition", "0", "--offset", "earliest", "--max-messages", "3",
                "--timeout-ms", "30000").assertSuccess();
        assertThat(fromEarliest.stdoutLines()).containsExactly("one", "two", "three");
    }

    /**
     * kafka-consumer-groups on a group of the Java consumer: --list, --describe with the lag of
     * each partition (while the member is there and after it left), --reset-offsets --to-earliest
     * and --to-datetime on the inactive group, and --delete.
     */
    @Test
    void kafkaConsumerGroupsListsDescribesResetsAndDeletesGroup() {
        String topic = "cli-groups";
        String group = "cli-group";
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        KafkaSupport.createTopic(node, topic, 2);
        // Partition 0 holds 5 records, partition 1 holds 3, stamped a minute apart from an hour ago.
        long baseMs = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS).toEpochMilli();
        try (KafkaProducer<String, String> producer =
                     KafkaSupport.producer(node, Map.of(ProducerConfig.ACKS_CONFIG, "all"))) {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                sends.add(producer.send(new ProducerRecord<>(topic, 0, baseMs + i * 60_000L, "k", "p0-" + i)));
            }
            for (int i = 0; i < 3; i++) {
                sends.add(producer.send(new ProducerRecord<>(topic, 1, baseMs + i * 60_000L, "k", "p1-" + i)));
            }
            sends.forEach(KafkaSupport::get);
        }

        try (KafkaConsumer<String, String> member = KafkaSupport.consumer(node, Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.CLIENT_ID_CONFIG, "cli-group-member"))) {
            member.subscribe(List.of(topic));
            pollUntilAssigned(member, Set.of(p0, p1));
            member.commitSync(Map.of(p0, new OffsetAndMetadata(2), p1, new OffsetAndMetadata(1)));

            assertThat(groupsTool("--list").stdoutLines()).contains(group);
            Map<Integer, List<String>> active = describeGroup(group, topic);
            // Columns after PARTITION: CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID
            // HOST and CLIENT-ID are the member's address and client.id, from DescribeGroups.
            assertThat(active.get(0)).as("partition 0 of the active group")
                    .startsWith("2", "5", "3").endsWith("/127.0.0.1", "cli-group-member");
            assertThat(active.get(1)).as("partition 1 of the active group")
                    .startsWith("1", "3", "2").endsWith("/127.0.0.1", "cli-group-member");
            assertThat(active.get(0).get(3)).startsWith("cli-group-member-");
        }

        // The member left: the group is empty, its committed offsets and lag stay.
        Map<Integer, List<String>> inactive = describeGroup(group, topic);
        assertThat(inactive.get(0)).containsExactly("2", "5", "3", "-", "-", "-");
        assertThat(inactive.get(1)).containsExactly("1", "3", "2", "-", "-", "-");

        Clients.Result earliest = groupsTool("--reset-offsets", "--group", group, "--topic", topic,
                "--to-earliest", "--execute");
        assertThat(newOffsets(earliest, group, topic)).isEqualTo(Map.of(0, 0L, 1, 0L));
        assertThat(describeGroup(group, topic)).containsEntry(0, List.of("0", "5", "5", "-", "-", "-"))
                .containsEntry(1, List.of("0", "3", "3", "-", "-", "-"));

        // 2.5 minutes after the first record: offset 3 in partition 0; partition 1 has no record that
        // late, so its offset goes to the log end.
        String datetime = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC)
                .format(Instant.ofEpochMilli(baseMs + 150_000));
        Clients.Result byTime = groupsTool("--reset-offsets", "--group", group, "--topic", topic,
                "--to-datetime", datetime, "--execute");
        assertThat(newOffsets(byTime, group, topic)).isEqualTo(Map.of(0, 3L, 1, 3L));
        assertThat(describeGroup(group, topic)).containsEntry(0, List.of("3", "5", "2", "-", "-", "-"))
                .containsEntry(1, List.of("3", "3", "0", "-", "-", "-"));
        try (KafkaConsumer<String, String> member =
                     KafkaSupport.consumer(node, Map.of(ConsumerConfig.GROUP_ID_CONFIG, group))) {
            member.subscribe(List.of(topic));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + TOOL_TIMEOUT.toNanos();
            while (values.size() < 2) {
                assertThat(System.nanoTime()).as("records after the reset, got %s", values).isLessThan(deadline);
                member.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
            }
            assertThat(values).containsExactly("p0-3", "p0-4");
            assertThat(member.position(p0)).isEqualTo(5);
            assertThat(member.position(p1)).isEqualTo(3);
        }

        assertThat(groupsTool("--delete", "--group", group).stdout())
                .contains("Deletion of requested consumer groups ('" + group + "') was successful");
        assertThat(groupsTool("--list").stdoutLines()).doesNotContain(group);
        assertThat(KafkaSupport.committedOffsets(node, group)).isEmpty();
    }

    @Test
    void kafkaConfigsAltersAndDescribesTopicConfig() {
        String topic = "cli-configs";
        KafkaSupport.createTopic(node, topic, 1);
        tool(CONFIG_COMMAND, null, "--bootstrap-server", node.bootstrap(), "--entity-type", "topics",
                "--entity-name", topic, "--alter", "--add-config", "retention.ms=7200000").assertSuccess();
        Clients.Result described = tool(CONFIG_COMMAND, null, "--bootstrap-server", node.bootstrap(),
                "--entity-type", "topics", "--entity-name", topic, "--describe").assertSuccess();
        assertThat(described.stdout()).contains("retention.ms=7200000");
    }

    @Test
    void kafkaDumpLogReadsSegmentWrittenByMillrace() {
        String topic = "cli-dump";
        KafkaSupport.createTopic(node, topic, 1);
        produceWithConsoleProducer(topic, "k1:first\nk2:second\nk3:third\n");

        Path segment = firstSegment(topic, 0);
        Clients.Result dump = tool(DUMP_LOG, null, "--files", segment.toString(), "--print-data-log")
                .assertSuccess();
        assertThat(dump.stdout())
                .contains("Dumping " + segment)
                .contains("key: k1 payload: first", "key: k2 payload: second", "key: k3 payload: third")
                .doesNotContainIgnoringCase("corrupt")
                .doesNotContain("Found invalid messages", "Exception");
    }

    /** Topic-level compression.type makes the broker store batches with that codec, as Kafka does. */
    @Test
    void topicCompressionTypeRewritesUncompressedBatches() {
        String topic = "cli-gzip-topic";
        KafkaSupport.createTopic(node, topic, 1, Map.of("compression.type", "gzip"));
        produceWithConsoleProducer(topic, "k1:first\nk2:second\n");

        Path segment = firstSegment(topic, 0);
        Clients.Result dump = tool(DUMP_LOG, null, "--files", segment.toString(), "--print-data-log")
                .assertSuccess();
        assertThat(dump.stdout())
                .contains("compresscodec: gzip")
                .doesNotContain("compresscodec: none")
                .contains("key: k1 payload: first", "key: k2 payload: second");
    }

    private void produceWithConsoleProducer(String topic, String lines) {
        tool(CONSOLE_PRODUCER, lines, "--bootstrap-server", node.bootstrap(), "--topic", topic,
                "--command-property", "acks=all",
                "--reader-property", "parse.key=true", "--reader-property", "key.separator=:").assertSuccess();
    }

    /** The segment with base offset 0 of a partition: Kafka's layout, {@code <topic>-<partition>/<20 digits>.log}. */
    private static Path firstSegment(String topic, int partition) {
        Path expected = node.dataDir().resolve(topic + "-" + partition).resolve("0".repeat(20) + ".log");
        if (Files.isRegularFile(expected)) {
            return expected;
        }
        try (Stream<Path> files = Files.walk(node.dataDir())) {
            List<Path> all = files.filter(Files::isRegularFile).toList();
            throw new AssertionError("no segment " + expected + "; files under " + node.dataDir() + ": " + all);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Clients.Result groupsTool(String... args) {
        List<String> all = new ArrayList<>(List.of("--bootstrap-server", node.bootstrap()));
        all.addAll(List.of(args));
        return tool(CONSUMER_GROUPS, null, all.toArray(String[]::new)).assertSuccess();
    }

    /**
     * The rows of {@code kafka-consumer-groups --describe --group} for {@code topic}, by partition:
     * CURRENT-OFFSET, LOG-END-OFFSET, LAG, CONSUMER-ID, HOST, CLIENT-ID. The table is cut at the
     * header's column starts (the tool left-aligns every column), so an empty cell reads as "".
     */
    private static Map<Integer, List<String>> describeGroup(String group, String topic) {
        Clients.Result described = groupsTool("--describe", "--group", group);
        List<String> columns = List.of("GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG",
                "CONSUMER-ID", "HOST", "CLIENT-ID");
        List<String> lines = described.stdoutLines();
        String header = lines.stream().filter(line -> line.startsWith("GROUP ") && line.contains("CURRENT-OFFSET"))
                .findFirst().orElseThrow(() -> new AssertionError("no header in\n" + described.stdout()));
        int[] starts = columns.stream().mapToInt(header::indexOf).toArray();
        Map<Integer, List<String>> rows = new TreeMap<>();
        for (String line : lines) {
            List<String> cells = new ArrayList<>();
            for (int c = 0; c < starts.length; c++) {
                int from = Math.min(starts[c], line.length());
                int to = c + 1 < starts.length ? Math.min(starts[c + 1], line.length()) : line.length();
                cells.add(line.substring(from, to).trim());
            }
            if (cells.get(0).equals(group) && cells.get(1).equals(topic)) {
                rows.put(Integer.parseInt(cells.get(2)), cells.subList(3, cells.size()));
            }
        }
        assertThat(rows).as("rows for %s in\n%s", topic, described.stdout()).isNotEmpty();
        return rows;
    }

    /** NEW-OFFSET by partition from the table {@code --reset-offsets} prints. */
    private static Map<Integer, Long> newOffsets(Clients.Result reset, String group, String topic) {
        Map<Integer, Long> offsets = new TreeMap<>();
        for (String line : reset.stdoutLines()) {
            List<String> fields = List.of(line.trim().split("\\s+"));
            if (fields.size() == 4 && fields.get(0).equals(group) && fields.get(1).equals(topic)) {
                offsets.put(Integer.parseInt(fields.get(2)), Long.parseLong(fields.get(3)));
            }
        }
        assertThat(offsets).as("NEW-OFFSET rows in\n%s", reset.stdout()).isNotEmpty();
        return offsets;
    }

    private static void pollUntilAssigned(KafkaConsumer<String, String> consumer, Set<TopicPartition> partitions) {
        long deadline = System.nanoTime() + TOOL_TIMEOUT.toNanos();
        while (!consumer.assignment().equals(partitions)) {
            assertThat(System.nanoTime()).as("assignment %s", consumer.assignment()).isLessThan(deadline);
            consumer.poll(Duration.ofMillis(100));
        }
    }

    private static Clients.Result tool(String mainClass, String stdin, String... args) {
        return Clients.kafkaTool(mainClass, TOOL_TIMEOUT, stdin, args);
    }
}
