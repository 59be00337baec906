package io.millrace.bench;

import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Client properties from the options; {@code --client-config} is applied last and wins. */
final class Clients {

    private Clients() {
    }

    static Properties admin(CommonOptions common) {
        Properties props = new Properties();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, common.bootstrap);
        props.put(CommonClientConfigs.CLIENT_ID_CONFIG, "bench-admin");
        props.putAll(common.clientConfig);
        return props;
    }

    static KafkaProducer<byte[], byte[]> producer(CommonOptions common, ProducerOptions options, int index) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, common.bootstrap);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-producer-" + index);
        props.put(ProducerConfig.ACKS_CONFIG, options.acks);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, options.compression);
        if (options.lingerMs != null) {
            props.put(ProducerConfig.LINGER_MS_CONFIG, options.lingerMs);
        }
        if (options.batchSize != null) {
            props.put(ProducerConfig.BATCH_SIZE_CONFIG, options.batchSize);
        }
        props.putAll(common.clientConfig);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** @param autoOffsetReset where a consumer without a committed or assigned position starts */
    static KafkaConsumer<byte[], byte[]> consumer(CommonOptions common, ConsumerOptions options, int index,
                                                  String autoOffsetReset) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, common.bootstrap);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-consumer-" + index);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, autoOffsetReset);
        if (options.usesGroup()) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, options.group);
        }
        props.putAll(common.clientConfig);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
