package io.millrace.server;

import io.millrace.broker.Broker;
import io.millrace.broker.BrokerConfig;
import io.millrace.protocol.Time;
import io.millrace.server.config.ServerConfig;
import io.millrace.server.http.HttpEndpoints;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.logging.log4j.LogManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one node in this process: HTTP first (so probes see 503 rather than a refused connection
 * while logs recover), then the broker; one INFO line once it is ready; a shutdown hook that
 * closes the broker gracefully on SIGTERM or Ctrl-C and waits for it.
 *
 * <p>Threads: the calling (main) thread blocks until the node fails; on a signal the JVM runs the
 * {@code millrace-shutdown} hook, which closes everything and then shuts logging down, so the
 * broker's shutdown messages are not lost (log4j's own hook is disabled in log4j2.xml).
 */
final class MillraceNode {

    private static final Logger log = LoggerFactory.getLogger(MillraceNode.class);

    private MillraceNode() {
    }

    /** The production {@link NodeRunner}. */
    static int run(ServerConfig serverConfig, PrintWriter err) {
        BrokerConfig config;
        try {
            config = BrokerConfigs.from(serverConfig);
        } catch (IllegalArgumentException e) {
            return fail(err, Cli.EXIT_CONFIG, "invalid configuration: " + e.getMessage(), e);
        }
        PrometheusRegistry registry = new PrometheusRegistry();
        // The JVM collectors read MBeans: loading JMX takes about a tenth of a second, so they are
        // registered beside the start-up instead of before it.
        Thread jvmMetrics = new Thread(() -> JvmMetrics.builder().register(registry), "millrace-jvm-metrics");
        jvmMetrics.setDaemon(true);
        jvmMetrics.start();
        AtomicReference<Broker> started = new AtomicReference<>();
        HttpEndpoints http;
        try {
            http = HttpEndpoints.start(config.httpListener(), registry, () -> isReady(started.get()));
        } catch (IOException e) {
            InetSocketAddress address = config.httpListener();
            return fail(err, Cli.EXIT_FAILED, "cannot serve HTTP on http.listener " + address.getHostString() + ":"
                    + address.getPort() + ": " + describe(e), e);
        }
        Broker broker;
        try {
            broker = Broker.start(config, Time.SYSTEM, registry);
        } catch (Exception e) {
            http.close();
            return fail(err, Cli.EXIT_FAILED, "node " + config.nodeId() + " failed to start: " + describe(e), e);
        }
        started.set(broker);
        return runUntilFailure(serverConfig, broker, http, err);
    }

    private static int runUntilFailure(ServerConfig serverConfig, Broker broker, HttpEndpoints http, PrintWriter err) {
        Thread hook = new Thread(() -> shutdown(broker, http), "millrace-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        broker.readyFuture().whenComplete((ignored, error) -> {
            if (error != null) {
                failure.complete(error);
            } else {
                log.info("{}", readyLine(serverConfig, broker, http));
            }
        });
        Throwable error = failure.join();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            return Cli.EXIT_FAILED;
        }
        broker.close();
        http.close();
        return fail(err, Cli.EXIT_FAILED, "node " + broker.config().nodeId() + " could not become ready: "
                + describe(error), error);
    }

    private static boolean isReady(Broker broker) {
        return broker != null && broker.isReady();
    }

    private static void shutdown(Broker broker, HttpEndpoints http) {
        log.info("Node {} shutting down", broker.config().nodeId());
        try {
            broker.close();
            http.close();
            log.info("Node {} stopped", broker.config().nodeId());
        } finally {
            LogManager.shutdown();
        }
    }

    /**
     * {@code Millrace node 1 ready: kafka PLAINTEXT://localhost:9092, raft localhost:9093, http
     * http://localhost:8090 (data ./data)}. The first listener and HTTP show the ports actually
     * bound, which differ from the configured ones when those were 0.
     */
    static String readyLine(ServerConfig config, Broker broker, HttpEndpoints http) {
        BrokerConfig brokerConfig = broker.config();
        List<String> kafka = new ArrayList<>();
        for (BrokerConfig.Endpoint endpoint : brokerConfig.listeners()) {
            int port = kafka.isEmpty() ? broker.boundPort() : endpoint.port();
            kafka.add(endpoint.name() + "://" + hostPort(endpoint.host(), port));
        }
        InetSocketAddress raft = config.raftAddress();
        return "Millrace node " + brokerConfig.nodeId() + " ready: kafka " + String.join(", ", kafka)
                + ", raft " + hostPort(raft.getHostString(), raft.getPort())
                + ", http http://" + hostPort(brokerConfig.httpListener().getHostString(), http.boundPort())
                + " (data " + brokerConfig.logDir() + ")";
    }

    private static String hostPort(String host, int port) {
        String shown = host.isEmpty() ? "0.0.0.0" : host;
        return (shown.contains(":") ? "[" + shown + "]" : shown) + ":" + port;
    }

    /** Prints one line for the operator; the stack trace goes to the log at DEBUG only. */
    private static int fail(PrintWriter err, int exitCode, String message, Throwable cause) {
        log.debug("Start-up failed", cause);
        err.println("millrace: " + message);
        err.flush();
        return exitCode;
    }

    private static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
