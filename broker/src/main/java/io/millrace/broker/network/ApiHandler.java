package io.millrace.broker.network;

import io.millrace.protocol.ApiCodec;
import io.millrace.protocol.EncodedResponse;
import java.nio.ByteBuffer;
import java.util.Optional;
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

    /**
     * The lowest version ApiVersions advertises. Below {@link #minVersion()} but from this one up, the
     * handler cannot serve a request but answers it with {@link #rejectUnsupported}.
     */
    default short advertisedMinVersion() {
        return minVersion();
    }

    /**
     * The answer to a request between {@link #advertisedMinVersion()} and {@link #minVersion()},
     * written in that version's own layout; empty when no answer can be sent (the connection is
     * closed).
     */
    default Optional<EncodedResponse> rejectUnsupported(ByteBuffer body, short version, int correlationId) {
        return Optional.empty();
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
