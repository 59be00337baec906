package io.millrace.broker.network;

import io.millrace.protocol.ApiKey;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Request-level metrics: count and latency per API, bytes in and out, open connections.
 *
 * <p>Thread-safety: Prometheus metrics are safe for concurrent updates from every event loop.
 */
public final class RequestMetrics {

    private final Counter requests;
    private final Counter errors;
    private final Histogram latencySeconds;
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final Gauge connections;

    public RequestMetrics(PrometheusRegistry registry) {
        requests = Counter.builder().name("millrace_requests_total")
                .help("Kafka protocol requests received, by API").labelNames("api").register(registry);
        errors = Counter.builder().name("millrace_request_failures_total")
                .help("Requests that ended in a closed connection or a whole-request error, by API")
                .labelNames("api").register(registry);
        latencySeconds = Histogram.builder().name("millrace_request_latency_seconds")
                .help("Time from reading a request to queuing its response, by API")
                .labelNames("api").register(registry);
        bytesIn = Counter.builder().name("millrace_network_received_bytes_total")
                .help("Bytes of Kafka protocol requests received").register(registry);
        bytesOut = Counter.builder().name("millrace_network_sent_bytes_total")
                .help("Bytes of Kafka protocol responses sent").register(registry);
        connections = Gauge.builder().name("millrace_connections")
                .help("Open Kafka protocol connections").register(registry);
    }

    void onRequest(ApiKey api, int frameBytes) {
        requests.labelValues(api.name()).inc();
        bytesIn.inc(frameBytes + 4);
    }

    void onRequestFailed(ApiKey api) {
        errors.labelValues(api.name()).inc();
    }

    void onResponse(ApiKey api, long receivedNanos, long nowNanos, long responseBytes) {
        latencySeconds.labelValues(api.name()).observe((nowNanos - receivedNanos) / 1e9);
        bytesOut.inc(responseBytes);
    }

    void onConnectionOpened() {
        connections.inc();
    }

    void onConnectionClosed() {
        connections.dec();
    }
}
