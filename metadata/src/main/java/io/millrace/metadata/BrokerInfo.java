package io.millrace.metadata;

import java.util.Objects;

/**
 * A registered broker as the controller sees it. Immutable, so safe to share between threads.
 *
 * @param id the broker's node id
 * @param host the host clients connect to
 * @param port the Kafka-protocol port clients connect to
 * @param rack the rack, or {@code null} when the broker has none
 * @param fenced whether the broker is fenced (it may not lead partitions or join ISRs)
 */
public record BrokerInfo(int id, String host, int port, String rack, boolean fenced) {
    public BrokerInfo {
        if (id < 0) {
            throw new IllegalArgumentException("broker id must be >= 0, got " + id);
        }
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
        }
    }
}
