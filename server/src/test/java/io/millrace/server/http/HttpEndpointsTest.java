package io.millrace.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpEndpointsTest {

    private final AtomicBoolean ready = new AtomicBoolean();
    private final HttpClient client = HttpClient.newHttpClient();
    private HttpEndpoints endpoints;

    @BeforeEach
    void start() throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        Counter.builder().name("millrace_test_requests").help("requests seen by the test").register(registry).inc(3);
        endpoints = HttpEndpoints.start(InetSocketAddress.createUnresolved("localhost", 0), registry, ready::get);
    }

    @AfterEach
    void stop() {
        endpoints.close();
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + endpoints.boundPort() + path);
    }

    private HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void liveAnswersOkWhetherOrNotReady() throws Exception {
        HttpResponse<String> response = get("/health/live");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok\n");
    }

    @Test
    void readyAnswers503UntilReadinessSaysReadyThen200() throws Exception {
        assertThat(get("/health/ready").statusCode()).isEqualTo(503);
        ready.set(true);
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);
        ready.set(false);
        assertThat(get("/health/ready").statusCode()).isEqualTo(503);
    }

    @Test
    void metricsServePrometheusTextWithRegisteredMetric() throws Exception {
        HttpResponse<String> response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
        assertThat(response.body()).contains("millrace_test_requests_total 3.0");
    }

    @Test
    void metricsServeOpenMetricsWhenAsked() throws Exception {
        HttpResponse<String> response = get("/metrics", "Accept", "application/openmetrics-text; version=1.0.0");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/openmetrics-text"));
        assertThat(response.body()).contains("millrace_test_requests_total 3.0").endsWith("# EOF\n");
    }

    @Test
    void unknownPathsAndPrefixMatchesAre404() throws Exception {
        assertThat(get("/").statusCode()).isEqualTo(404);
        assertThat(get("/health/livez").statusCode()).isEqualTo(404);
        assertThat(get("/metrics/extra").statusCode()).isEqualTo(404);
    }

    @Test
    void writesAreRefusedWith405() throws Exception {
        HttpRequest post = HttpRequest.newBuilder(uri("/health/ready")).POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> response = client.send(post, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    @Test
    void portInUseFailsWithIOException() {
        InetSocketAddress taken = InetSocketAddress.createUnresolved("localhost", endpoints.boundPort());
        assertThatThrownBy(() -> HttpEndpoints.start(taken, new PrometheusRegistry(), () -> true))
                .isInstanceOf(IOException.class);
    }

    @Test
    void unresolvableHostFailsWithIOExceptionNamingIt() {
        InetSocketAddress nowhere = InetSocketAddress.createUnresolved("no-such-host.invalid", 0);
        assertThatThrownBy(() -> HttpEndpoints.start(nowhere, new PrometheusRegistry(), () -> true))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no-such-host.invalid");
    }

    @Test
    void closeIsIdempotent() {
        endpoints.close();
        endpoints.close();
    }
}
