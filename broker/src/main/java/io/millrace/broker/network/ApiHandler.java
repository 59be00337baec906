package io.millrace.broker.network;

import io.millrace.protocol.ApiCodec;
import java.util.concurrent.CompletionStage;

/**
 * Answers one Kafka API. Exactly one handler exists per API; the {@link HandlerRegistry} maps API
 * keys to handlers, and ApiVersions is computed from that registry, so the broker advertises
 * exactly what it has handlers for.
 *
 * <p>Handlers are thin: they validate, call one domain service and build the response. They run on
 * the connection's event loop and must not block; anything that waits returns an incomplete stage.
 *
 * @param <Q> the request type decoded by {@link #codec()}
 * @param <R> the response type encoded by {@link #codec()}
 */
public interface ApiHandler<Q, R> {

    ApiCodec<Q, R> codec();

    /** The lowest version this handler answers; defaults to everything Kafka 4.3.1 accepts. */
    default short minVersion() {
        return codec().apiKey().oldestVersion();
    }

    /** The highest version this handler answers. */
    default short maxVersion() {
        return codec().apiKey().latestVersion();
    }

    /**
     * Answers the request. A stage completed with {@code null} means no response is sent
     * (a produce with acks=0). A stage completed exceptionally with a
     * {@link io.millrace.protocol.MillraceException} becomes the codec's error response.
     */
    CompletionStage<R> handle(RequestContext context, Q request);
}
