package io.millrace.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Java kafka-clients plumbing shared by the integration tests. */
public final class KafkaSupport {

    public static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);

    private KafkaSupport() {
    }

    public static Admin admin(MillraceNode node) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrap());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        return Admin.create(props);
    }

    /** Creates a topic with replication factor 1 and waits for the answer. */
    public static void createTopic(MillraceNode node, String topic, int partitions) {
        createTopic(node, topic, partitions, Map.of());
    }

    public static void createTopic(MillraceNode node, String topic, int partitions, Map<String, String> configs) {
        try (Admin admin = admin(node)) {
            get(admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(configs))).all());
        }
    }

    /** String producer; {@code overrides} win over the defaults. */
    public static KafkaProducer<String, String> producer(MillraceNode node, Map<String, Object> overrides) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrap());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        props.putAll(overrides);
        return new KafkaProducer<>(props);
    }

    /** String consumer without a group, for {@code assign()}. */
    public static KafkaConsumer<String, String> consumer(MillraceNode node, Map<String, Object> overrides) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrap());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        props.putAll(overrides);
        return new KafkaConsumer<>(props);
    }

    /**
     * Reads one partition from its beginning up to its end offset as it is when the read starts;
     * fails if that end is not reached within {@code timeout}.
     */
    public static List<ConsumerRecord<String, String>> readPartition(MillraceNode node, TopicPartition tp,
                                                                     Duration timeout) {
        try (KafkaConsumer<String, String> consumer = consumer(node, Map.of())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), CLIENT_TIMEOUT).get(tp);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (consumer.position(tp, CLIENT_TIMEOUT) < end) {
                assertThat(System.nanoTime()).as("reading %s up to end offset %d, got %d records so far",
                        tp, end, records.size()).isLessThan(deadline);
                consumer.poll(Duration.ofMillis(500)).records(tp).forEach(records::add);
            }
            return records;
        }
    }

    /** The log end offset of each of {@code topic}'s partitions 0 to {@code partitions - 1}. */
    public static Map<TopicPartition, Long> endOffsets(MillraceNode node, String topic, int partitions) {
        try (Admin admin = admin(node)) {
            Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                specs.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            get(admin.listOffsets(specs).all()).forEach((tp, info) -> ends.put(tp, info.offset()));
            return ends;
        }
    }

    /** The offsets {@code group} has committed, by partition (OffsetFetch through the Admin client). */
    public static Map<TopicPartition, Long> committedOffsets(MillraceNode node, String group) {
        try (Admin admin = admin(node)) {
            Map<TopicPartition, Long> committed = new HashMap<>();
            get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata())
                    .forEach((tp, offset) -> committed.put(tp, offset == null ? null : offset.offset()));
            return committed;
        }
    }

    /** Waits for a client future with {@link #CLIENT_TIMEOUT}, unwrapping its failure. */
    public static <T> T get(Future<T> future) {
        try {
            return future.get(CLIENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("Kafka client call failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("Kafka client call did not complete within " + CLIENT_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
