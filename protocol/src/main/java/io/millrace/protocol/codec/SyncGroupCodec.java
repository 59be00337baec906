package io.millrace.protocol.codec;

import io.millrace.protocol.ApiCodec;
import io.millrace.protocol.ApiKey;
import io.millrace.protocol.EncodedResponse;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.wire.ResponseWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * SyncGroup: the leader hands out assignments and every member receives its own. Protocol type
 * and name are on the wire from version 5 and null before it.
 */
public final class SyncGroupCodec implements ApiCodec<SyncGroupCodec.Request, SyncGroupCodec.Response> {

    public record Assignment(String memberId, byte[] assignment) {
    }

    /** {@code groupInstanceId}, {@code protocolType} and {@code protocolName} are null when absent. */
    public record Request(String groupId, int generationId, String memberId, String groupInstanceId,
                          String protocolType, String protocolName, List<Assignment> assignments) {
    }

    /** {@code protocolType} and {@code protocolName} may be null; a null assignment is sent empty. */
    public record Response(ErrorCode error, String protocolType, String protocolName, byte[] assignment) {
        public static Response failed(ErrorCode error) {
            return new Response(error, null, null, new byte[0]);
        }
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.SYNC_GROUP;
    }

    @Override
    public Request decodeRequest(ByteBuffer body, short version) {
        SyncGroupRequestData data = Codecs.parse(body, readable -> new SyncGroupRequestData(readable, version));
        List<Assignment> assignments = new ArrayList<>(data.assignments().size());
        for (SyncGroupRequestData.SyncGroupRequestAssignment a : data.assignments()) {
            assignments.add(new Assignment(a.memberId(), a.assignment().clone()));
        }
        return new Request(data.groupId(), data.generationId(), data.memberId(), data.groupInstanceId(),
                data.protocolType(), data.protocolName(), assignments);
    }

    @Override
    public EncodedResponse encodeResponse(Response response, short version, int correlationId) {
        SyncGroupResponseData data = new SyncGroupResponseData()
                .setThrottleTimeMs(0)
                .setErrorCode(Codecs.code(response.error()))
                .setProtocolType(response.protocolType())
                .setProtocolName(response.protocolName())
                .setAssignment(response.assignment() == null ? new byte[0] : response.assignment());
        return ResponseWriter.encode(data, ApiKeys.SYNC_GROUP, version, correlationId);
    }

    @Override
    public EncodedResponse encodeErrorResponse(Request request, short version, int correlationId, ErrorCode error) {
        return encodeResponse(Response.failed(error), version, correlationId);
    }
}
