package io.millrace.protocol.group;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;

/**
 * Reads the topics out of a member's subscription in the "consumer" protocol type, which the
 * coordinator otherwise treats as opaque bytes. Needed where Kafka looks inside: OffsetDelete
 * refuses to delete offsets of a topic an active member is subscribed to.
 */
public final class ConsumerSubscriptions {

    /** The protocol type of groups formed by Kafka consumers. */
    public static final String CONSUMER_PROTOCOL_TYPE = ConsumerProtocol.PROTOCOL_TYPE;

    private ConsumerSubscriptions() {
    }

    /** The subscribed topics, or empty if the bytes are not a consumer-protocol subscription. */
    public static Optional<List<String>> topics(byte[] subscription) {
        try {
            return Optional.of(List.copyOf(
                    ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(subscription)).topics()));
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }
}
