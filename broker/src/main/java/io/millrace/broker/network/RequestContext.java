package io.millrace.broker.network;

import io.millrace.protocol.ApiKey;
import java.net.InetSocketAddress;

/**
 * What a handler knows about the request besides its body.
 *
 * @param apiKey        the API being called
 * @param apiVersion    the version the client used
 * @param correlationId the client's correlation id
 * @param clientId      the client id from the request header, possibly empty
 * @param clientAddress the remote address of the connection
 * @param listenerName  the name of the listener the connection arrived on
 * @param receivedNanos when the broker finished reading the request
 */
public record RequestContext(
        ApiKey apiKey,
        short apiVersion,
        int correlationId,
        String clientId,
        InetSocketAddress clientAddress,
        String listenerName,
        long receivedNanos) {
}
