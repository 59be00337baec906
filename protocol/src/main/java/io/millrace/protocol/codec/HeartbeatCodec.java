package io.millrace.protocol.codec;

import io.millrace.protocol.ApiCodec;
import io.millrace.protocol.ApiKey;
import io.millrace.protocol.EncodedResponse;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.wire.ResponseWriter;
import java.nio.ByteBuffer;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/** Heartbeat: a classic group member says it is alive and learns whether a rebalance is under way. */
public final class HeartbeatCodec implements ApiCodec<HeartbeatCodec.Request, HeartbeatCodec.Response> {

    /** {@code groupInstanceId} is null when absent (always below version 3). */
    public record Request(String groupId, int generationId, String memberId, String groupInstanceId) {
    }

    public record Response(ErrorCode error) {
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.HEARTBEAT;
    }

    @Override
    public Request decodeRequest(ByteBuffer body, short version) {
        HeartbeatRequestData data = Codecs.parse(body, readable -> new HeartbeatRequestData(readable, version));
        return new Request(data.groupId(), data.generationId(), data.memberId(), data.groupInstanceId());
    }

    @Override
    public EncodedResponse encodeResponse(Response response, short version, int correlationId) {
        HeartbeatResponseData data = new HeartbeatResponseData()
                .setThrottleTimeMs(0)
                .setErrorCode(Codecs.code(response.error()));
        return ResponseWriter.encode(data, ApiKeys.HEARTBEAT, version, correlationId);
    }

    @Override
    public EncodedResponse encodeErrorResponse(Request request, short version, int correlationId, ErrorCode error) {
        return encodeResponse(new Response(error), version, correlationId);
    }
}
