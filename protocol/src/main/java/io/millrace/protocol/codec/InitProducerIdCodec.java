package io.millrace.protocol.codec;

import io.millrace.protocol.ApiCodec;
import io.millrace.protocol.ApiKey;
import io.millrace.protocol.EncodedResponse;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.wire.ResponseWriter;
import java.nio.ByteBuffer;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/** InitProducerId: a producer id and epoch for an idempotent (or transactional) producer. */
public final class InitProducerIdCodec implements ApiCodec<InitProducerIdCodec.Request, InitProducerIdCodec.Response> {

    /** {@code producerId}/{@code producerEpoch} are -1 unless the producer asks to bump its epoch. */
    public record Request(String transactionalId, int transactionTimeoutMs, long producerId, short producerEpoch) {
    }

    public record Response(ErrorCode error, long producerId, short producerEpoch) {
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.INIT_PRODUCER_ID;
    }

    @Override
    public Request decodeRequest(ByteBuffer body, short version) {
        InitProducerIdRequestData data = Codecs.parse(body, readable -> new InitProducerIdRequestData(readable, version));
        return new Request(data.transactionalId(), data.transactionTimeoutMs(), data.producerId(), data.producerEpoch());
    }

    @Override
    public EncodedResponse encodeResponse(Response response, short version, int correlationId) {
        InitProducerIdResponseData data = new InitProducerIdResponseData()
                .setErrorCode(Codecs.code(response.error()))
                .setProducerId(response.producerId())
                .setProducerEpoch(response.producerEpoch());
        return ResponseWriter.encode(data, ApiKeys.INIT_PRODUCER_ID, version, correlationId);
    }

    @Override
    public EncodedResponse encodeErrorResponse(Request request, short version, int correlationId, ErrorCode error) {
        return encodeResponse(new Response(error, -1, (short) -1), version, correlationId);
    }
}
