package io.millrace.protocol.frame;

import java.util.Objects;

/**
 * The fields of a Kafka request header that the broker acts on. A null client id on the wire is
 * read as the empty string, as Kafka does.
 */
public record RequestHeader(short apiKeyId, short apiVersion, int correlationId, String clientId) {
    public RequestHeader {
        Objects.requireNonNull(clientId, "clientId");
    }
}
