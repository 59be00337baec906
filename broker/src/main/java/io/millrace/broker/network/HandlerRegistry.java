package io.millrace.broker.network;

import io.millrace.protocol.ApiKey;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one dispatch map from API key to handler. An API without a registered handler is not
 * advertised in ApiVersions and requests for it close the connection, as Kafka does for APIs it
 * does not know.
 *
 * <p>Thread-safety: filled once at start-up, then read-only and shared by every connection.
 */
public final class HandlerRegistry {

    private final Map<ApiKey, ApiHandler<?, ?>> handlers = new EnumMap<>(ApiKey.class);

    public HandlerRegistry register(ApiHandler<?, ?> handler) {
        ApiKey key = handler.codec().apiKey();
        if (handlers.putIfAbsent(key, handler) != null) {
            throw new IllegalStateException("a handler for " + key + " is already registered");
        }
        if (handler.minVersion() > handler.maxVersion()) {
            throw new IllegalArgumentException(key + " handler declares min version " + handler.minVersion()
                    + " above max version " + handler.maxVersion());
        }
        return this;
    }

    public Optional<ApiHandler<?, ?>> handler(ApiKey key) {
        return Optional.ofNullable(handlers.get(key));
    }

    public Collection<ApiHandler<?, ?>> handlers() {
        return Collections.unmodifiableCollection(handlers.values());
    }
}
