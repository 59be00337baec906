package io.millrace.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka's own command-line tools (4.3.1, from Maven Central) against a node: kafka-topics,
 * kafka-console-producer/-consumer, kafka-configs and kafka-dump-log,
 * each run as its own JVM like the shell scripts would.
 */
class KafkaCliIT {

    private static final String TOPIC_COMMAND = "org.apache.kafka.tools.TopicCommand";
    private static final String CONSOLE_PRODUCER = "org.apache.kafka.tools.ConsoleProducer";
    private static final String CONSOLE_CONSUMER = "org.apache.kafka.tools.consumer.ConsoleConsumer";
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
        KafkaSupport.createTopic(node, topic, 1, java.util.Map.of("compression.type", "gzip"));
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

    private static Clients.Result tool(String mainClass, String stdin, String... args) {
        return Clients.kafkaTool(mainClass, TOOL_TIMEOUT, stdin, args);
    }
}
