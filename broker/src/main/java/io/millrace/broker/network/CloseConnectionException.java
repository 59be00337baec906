package io.millrace.broker.network;

/**
 * Completes a handler's stage when the right answer is to close the connection rather than send a
 * response, as Kafka does for an acks=0 produce that failed: the client gets no response to read
 * an error from, and the closed connection makes it refresh its metadata.
 */
public final class CloseConnectionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CloseConnectionException(String reason) {
        super(reason, null, false, false);
    }
}
