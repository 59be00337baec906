package io.millrace.it;

import static io.millrace.it.KafkaSupport.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kafka Connect 4.3.1 distributed worker (in this JVM, see {@link ConnectWorker}) copies a file
 * through the broker: FileStreamSource reads it into a topic, FileStreamSink writes that topic
 * into another file.
 *
 * <p>What the worker asks of the broker: it creates its compacted config, offset and status
 * topics (replication factor 1) and refuses to start unless they are compacted; it joins a
 * classic consumer group with the "connect" protocol type to share connectors and tasks; it
 * reads its config topic to the end on every rebalance; the sink task is a consumer in a group of
 * its own that commits offsets; the source task's offsets go to the offset topic.
 */
class ConnectIT {

    private static final int LINES_BEFORE_START = 300;
    private static final int LINES_AFTER_START = 200;
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration COPY_TIMEOUT = Duration.ofSeconds(30);

    private static MillraceNode node;

    @BeforeAll
    static void startNode() {
        // As ReferenceKafka configures Kafka: the first rebalance of a new group need not wait
        // for more members, since all of them start together here.
        node = MillraceNode.builder(ConnectIT.class.getSimpleName())
                .override("group.initial.rebalance.delay.ms", "0")
                .start();
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    /**
     * Lines already in the source file when the connector starts and lines appended while it
     * runs all reach the sink file, in order (the topic has one partition).
     */
    @Test
    void fileSourceAndSinkConnectorsCopyEveryLineThroughTheBroker(@TempDir Path dir) {
        Pipeline pipeline = new Pipeline("copy", dir);
        List<String> lines = lines(0, LINES_BEFORE_START + LINES_AFTER_START);
        append(pipeline.input, lines.subList(0, LINES_BEFORE_START));

        try (ConnectWorker worker = pipeline.startWorker()) {
            assertWorkerTopicsAreCompacted(pipeline);
            pipeline.createConnectors(worker);
            pipeline.awaitConnectorsRunning(worker);

            append(pipeline.input, lines.subList(LINES_BEFORE_START, lines.size()));
            pipeline.awaitSinkFile(lines);

            pipeline.deleteConnectors(worker);
        }
    }

    /**
     * A worker started after the only other one stopped finds both connectors in the config
     * topic and the source's file position in the offset topic, and the sink's position in its
     * group's committed offsets: it copies only the lines appended meanwhile, each exactly once.
     */
    @Test
    void restartedWorkerResumesConnectorsFromItsConfigAndOffsetTopics(@TempDir Path dir) {
        Pipeline pipeline = new Pipeline("restart", dir);
        List<String> lines = lines(0, 2 * LINES_AFTER_START);
        append(pipeline.input, lines.subList(0, LINES_AFTER_START));
        try (ConnectWorker worker = pipeline.startWorker()) {
            pipeline.createConnectors(worker);
            pipeline.awaitConnectorsRunning(worker);
            pipeline.awaitSinkFile(lines.subList(0, LINES_AFTER_START));
        }

        append(pipeline.input, lines.subList(LINES_AFTER_START, lines.size()));
        try (ConnectWorker worker = pipeline.startWorker()) {
            pipeline.awaitConnectorsRunning(worker);
            pipeline.awaitSinkFile(lines);
            pipeline.deleteConnectors(worker);
        }
    }

    /**
     * A source file, a topic, a sink file and a worker group with its own three topics, all
     * named after {@code name} so that tests do not share state. Creating one creates its topic,
     * with one partition so that the sink file keeps the source file's order.
     */
    private static final class Pipeline {
        final String topic;
        final String groupId;
        final String configTopic;
        final String offsetTopic;
        final String statusTopic;
        final String source;
        final String sink;
        final Path input;
        final Path output;

        Pipeline(String name, Path dir) {
            topic = name + "-lines";
            groupId = "connect-" + name;
            configTopic = groupId + "-configs";
            offsetTopic = groupId + "-offsets";
            statusTopic = groupId + "-status";
            source = name + "-file-source";
            sink = name + "-file-sink";
            input = dir.resolve("input.txt");
            output = dir.resolve("output.txt");
            KafkaSupport.createTopic(node, topic, 1);
        }

        ConnectWorker startWorker() {
            return ConnectWorker.start(node.bootstrap(), groupId, Map.of(
                    "config.storage.topic", configTopic,
                    "offset.storage.topic", offsetTopic,
                    "status.storage.topic", statusTopic,
                    "config.storage.replication.factor", "1",
                    "offset.storage.replication.factor", "1",
                    "status.storage.replication.factor", "1",
                    "offset.storage.partitions", "5",
                    "status.storage.partitions", "3",
                    "offset.flush.interval.ms", "500"));
        }

        void createConnectors(ConnectWorker worker) {
            worker.createConnector(source, Map.of(
                    "connector.class", "org.apache.kafka.connect.file.FileStreamSourceConnector",
                    "tasks.max", "1",
                    "file", input.toString(),
                    "topic", topic));
            worker.createConnector(sink, Map.of(
                    "connector.class", "org.apache.kafka.connect.file.FileStreamSinkConnector",
                    "tasks.max", "1",
                    "file", output.toString(),
                    "topics", topic));
        }

        void awaitConnectorsRunning(ConnectWorker worker) {
            await("connectors " + source + " and " + sink + " running").atMost(STARTUP_TIMEOUT)
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> worker.isRunning(source, 1) && worker.isRunning(sink, 1));
        }

        void awaitSinkFile(List<String> expected) {
            await("every line in " + output).atMost(COPY_TIMEOUT).pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> assertThat(readLines(output))
                            .as("lines of the sink file").containsExactlyElementsOf(expected));
        }

        void deleteConnectors(ConnectWorker worker) {
            worker.deleteConnector(sink);
            worker.deleteConnector(source);
            await("connectors deleted").atMost(STARTUP_TIMEOUT).pollInterval(Duration.ofMillis(250))
                    .until(() -> worker.connectorStatus(source) == null && worker.connectorStatus(sink) == null);
        }
    }

    /** The worker created its three topics compacted, with the partition counts it was given. */
    private static void assertWorkerTopicsAreCompacted(Pipeline pipeline) {
        Map<String, Integer> partitions = Map.of(
                pipeline.configTopic, 1, pipeline.offsetTopic, 5, pipeline.statusTopic, 3);
        try (Admin admin = KafkaSupport.admin(node)) {
            Map<String, TopicDescription> topics = get(admin.describeTopics(partitions.keySet()).allTopicNames());
            List<ConfigResource> resources = partitions.keySet().stream()
                    .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList();
            Map<ConfigResource, Config> configs = get(admin.describeConfigs(resources).all());
            partitions.forEach((topic, count) -> {
                assertThat(topics.get(topic).partitions()).as("partitions of %s", topic).hasSize(count);
                assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic))
                        .get("cleanup.policy").value()).as("cleanup.policy of %s", topic).isEqualTo("compact");
            });
        }
    }

    /** Distinct lines of varying length. */
    private static List<String> lines(int from, int to) {
        List<String> lines = new ArrayList<>();
        for (int i = from; i < to; i++) {
            lines.add(String.format("line %04d of the mill race, %s", i, "x".repeat(i % 37)));
        }
        return lines;
    }

    private static void append(Path file, List<String> lines) {
        try {
            Files.write(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> readLines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    }
}
