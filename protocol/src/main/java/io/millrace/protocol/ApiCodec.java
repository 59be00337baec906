package io.millrace.protocol;

import java.nio.ByteBuffer;

/**
 * Translates one Kafka API between the wire and Millrace's own request and response types.
 * Each API has exactly one codec; the broker pairs it with exactly one handler.
 *
 * <p>Thread-safety: codecs are stateless and shared by every connection.
 *
 * @param <Q> Millrace's type for the decoded request
 * @param <R> Millrace's type for the response the handler produces
 */
public interface ApiCodec<Q, R> {

    /** The API this codec speaks. */
    ApiKey apiKey();

    /**
     * Decodes a request body (the bytes after the request header) of the given version.
     *
     * @throws MillraceException with {@link ErrorCode#INVALID_REQUEST} when the body does not parse
     */
    Q decodeRequest(ByteBuffer body, short version);

    /**
     * Encodes a complete response frame: the 4-byte size prefix, the response header for this
     * API and version, and the body. Record data held as file slices is emitted as zero-copy
     * regions.
     */
    EncodedResponse encodeResponse(R response, short version, int correlationId);

    /**
     * Builds the response a Kafka broker sends when the whole request fails with {@code error}
     * (every topic, partition or resource in it carries that error), encoded as a frame.
     */
    EncodedResponse encodeErrorResponse(Q request, short version, int correlationId, ErrorCode error);
}
