package io.millrace.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;

/**
 * One Kafka Connect 4.3.1 distributed worker running inside the test JVM, with its REST API on a
 * free port of 127.0.0.1, and a small REST client for it.
 *
 * <p>The worker is built by {@link ConnectDistributed#startConnect(Map)}, exactly as
 * {@code connect-distributed.sh} builds it. Two things of that entry point are fenced in for a
 * test JVM: it calls {@link Exit#exit(int)} when the worker fails to start, which here throws
 * instead of ending the JVM; and it replaces the calling thread's context class loader, which is
 * restored. Plugins are found through {@code ServiceLoader} manifests only
 * ({@code plugin.discovery=service_load}), which avoids scanning the whole test classpath.
 *
 * <p>Not thread-safe: one test thread drives a worker.
 */
final class ConnectWorker implements AutoCloseable {

    private static final Duration REST_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connect<DistributedHerder> connect;
    private final URI restUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ConnectWorker(Connect<DistributedHerder> connect, URI restUrl) {
        this.connect = connect;
        this.restUrl = restUrl;
    }

    /**
     * Starts a worker of group {@code groupId} against {@code bootstrap}; {@code overrides} win
     * over the defaults. Returns once the REST server listens; the herder may still be joining.
     */
    static ConnectWorker start(String bootstrap, String groupId, Map<String, String> overrides) {
        int port = freePort();
        Map<String, String> props = new LinkedHashMap<>();
        props.put("bootstrap.servers", bootstrap);
        props.put("group.id", groupId);
        props.put("listeners", "http://127.0.0.1:" + port);
        props.put("rest.advertised.host.name", "127.0.0.1");
        props.put("rest.advertised.port", Integer.toString(port));
        props.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        props.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        props.put("plugin.discovery", "service_load");
        props.putAll(overrides);

        ClassLoader contextLoader = Thread.currentThread().getContextClassLoader();
        Exit.setExitProcedure((status, message) -> {
            throw new IllegalStateException("Kafka Connect worker asked to exit with status " + status
                    + (message == null ? "" : ": " + message) + "; it failed to start (see the log above)");
        });
        try {
            Connect<DistributedHerder> connect = new ConnectDistributed().startConnect(props);
            return new ConnectWorker(connect, URI.create("http://127.0.0.1:" + port));
        } finally {
            Exit.resetExitProcedure();
            Thread.currentThread().setContextClassLoader(contextLoader);
        }
    }

    URI restUrl() {
        return restUrl;
    }

    /** {@code POST /connectors}; fails unless the worker answers 201 Created. */
    void createConnector(String name, Map<String, String> config) {
        ObjectNode body = JSON.createObjectNode();
        body.put("name", name);
        ObjectNode configNode = body.putObject("config");
        config.forEach(configNode::put);
        Response response = send("POST", "/connectors", body.toString());
        if (response.status() != 201) {
            throw new AssertionError("creating connector " + name + " answered " + response);
        }
    }

    /** {@code DELETE /connectors/<name>}; fails unless the worker answers 204 No Content. */
    void deleteConnector(String name) {
        Response response = send("DELETE", "/connectors/" + name, null);
        if (response.status() != 204) {
            throw new AssertionError("deleting connector " + name + " answered " + response);
        }
    }

    /** {@code GET /connectors/<name>/status}, or null while the worker answers 404. */
    JsonNode connectorStatus(String name) {
        Response response = send("GET", "/connectors/" + name + "/status", null);
        if (response.status() == 404) {
            return null;
        }
        if (response.status() != 200) {
            throw new AssertionError("status of connector " + name + " answered " + response);
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("status of connector " + name + " is not JSON: " + response, e);
        }
    }

    /** True when the connector and each of its {@code tasks} tasks report RUNNING. */
    boolean isRunning(String name, int tasks) {
        JsonNode status = connectorStatus(name);
        if (status == null || !"RUNNING".equals(status.path("connector").path("state").asText())) {
            return false;
        }
        JsonNode taskStates = status.path("tasks");
        if (taskStates.size() != tasks) {
            return false;
        }
        for (JsonNode task : taskStates) {
            if ("FAILED".equals(task.path("state").asText())) {
                throw new AssertionError("task of connector " + name + " failed: " + task.path("trace").asText());
            }
            if (!"RUNNING".equals(task.path("state").asText())) {
                return false;
            }
        }
        return true;
    }

    /** An HTTP answer of the REST API. */
    record Response(int status, String body) {
        @Override
        public String toString() {
            return "HTTP " + status + ": " + body;
        }
    }

    Response send(String method, String path, String jsonBody) {
        HttpRequest.Builder request = HttpRequest.newBuilder(restUrl.resolve(path))
                .timeout(REST_TIMEOUT)
                .header("Accept", "application/json");
        if (jsonBody == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + restUrl.resolve(path), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the herder (and with it every connector and task) and the REST server. */
    @Override
    public void close() {
        connect.stop();
        connect.awaitStop();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
