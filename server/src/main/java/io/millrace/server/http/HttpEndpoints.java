package io.millrace.server.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The operator's HTTP port ({@code http.listener}): liveness, readiness and Prometheus metrics.
 *
 * <ul>
 *   <li>{@code GET /health/live}: 200 {@code ok} for as long as the process answers at all.
 *   <li>{@code GET /health/ready}: 200 when {@link Readiness#isReady()}, else 503; load balancers
 *       and orchestrators route clients by it.
 *   <li>{@code GET /metrics}: the registry in Prometheus text format, or OpenMetrics when the
 *       {@code Accept} header asks for it (content negotiation, gzip and {@code name[]} filters are
 *       the Prometheus exporter's own handler).
 * </ul>
 *
 * <p>Built on the JDK's {@code com.sun.net.httpserver}: the traffic is a scrape every few seconds
 * and a probe or two, which needs no framework. Requests run on two daemon threads named
 * {@code millrace-http-N}, so a slow scrape cannot hold up a health probe. Nothing is logged per
 * request.
 */
public final class HttpEndpoints implements AutoCloseable {

    private static final int THREADS = 2;

    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicBoolean closed = new AtomicBoolean();

    private HttpEndpoints(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds and starts serving.
     *
     * @param address where to bind; an unresolved address is resolved here, an empty host binds
     *                every interface, port 0 picks a free port (see {@link #boundPort()})
     * @throws IOException when the address cannot be bound, e.g. the port is in use
     */
    public static HttpEndpoints start(InetSocketAddress address, PrometheusRegistry registry, Readiness readiness)
            throws IOException {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(readiness, "readiness");
        HttpServer server = HttpServer.create(bindAddress(address), 0);
        server.createContext("/", exchange -> respond(exchange, 404, "not found\n"));
        server.createContext("/health/live", exactPath("/health/live", exchange -> respond(exchange, 200, "ok\n")));
        server.createContext("/health/ready", exactPath("/health/ready", exchange -> {
            boolean ready = readiness.isReady();
            respond(exchange, ready ? 200 : 503, ready ? "ready\n" : "not ready\n");
        }));
        server.createContext("/metrics", exactPath("/metrics", new MetricsHandler(registry)));
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, daemonThreads());
        server.setExecutor(executor);
        server.start();
        return new HttpEndpoints(server, executor);
    }

    private static InetSocketAddress bindAddress(InetSocketAddress address) throws IOException {
        String host = address.getHostString();
        if (host.isEmpty()) {
            return new InetSocketAddress(address.getPort());
        }
        InetSocketAddress resolved = new InetSocketAddress(host, address.getPort());
        if (resolved.isUnresolved()) {
            throw new UnknownHostException("cannot resolve host '" + host + "'");
        }
        return resolved;
    }

    /** The JDK matches contexts by prefix; these endpoints answer only their exact path. */
    private static HttpHandler exactPath(String path, HttpHandler handler) {
        return exchange -> {
            String method = exchange.getRequestMethod();
            if (!exchange.getRequestURI().getPath().equals(path)) {
                respond(exchange, 404, "not found\n");
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(exchange, 405, "method not allowed\n");
            } else {
                handler.handle(exchange);
            }
        };
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        try {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } finally {
            exchange.close();
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "millrace-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The bound port; differs from the configured one when that was 0. */
    public int boundPort() {
        return server.getAddress().getPort();
    }

    /** Stops accepting and closes open exchanges at once; probes and scrapes simply retry. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.stop(0);
        executor.shutdownNow();
    }
}
