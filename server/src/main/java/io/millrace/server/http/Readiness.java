package io.millrace.server.http;

/**
 * Whether the node serves: what {@code GET /health/ready} reports. A plain interface rather than
 * the broker itself, so the HTTP layer can start before the broker (probes get 503 during log
 * recovery instead of a refused connection) and can be tested without one.
 */
@FunctionalInterface
public interface Readiness {
    boolean isReady();
}
