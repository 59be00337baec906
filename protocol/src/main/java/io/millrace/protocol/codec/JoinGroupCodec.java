package io.millrace.protocol.codec;

import io.millrace.protocol.ApiCodec;
import io.millrace.protocol.ApiKey;
import io.millrace.protocol.EncodedResponse;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.wire.ResponseWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * JoinGroup: the first step of the classic group rebalance protocol. Version 0 has no rebalance
 * timeout; the session timeout stands in for it, as in Kafka. Below version 7 the protocol name
 * is not nullable, so a null name is sent as "".
 */
public final class JoinGroupCodec implements ApiCodec<JoinGroupCodec.Request, JoinGroupCodec.Response> {

    public record Protocol(String name, byte[] metadata) {
    }

    /** {@code groupInstanceId} and {@code reason} are null when absent. */
    public record Request(String groupId, int sessionTimeoutMs, int rebalanceTimeoutMs, String memberId,
                          String groupInstanceId, String protocolType, List<Protocol> protocols, String reason) {
    }

    public record Member(String memberId, String groupInstanceId, byte[] metadata) {
    }

    /** {@code protocolType} and {@code protocolName} may be null. */
    public record Response(ErrorCode error, int generationId, String protocolType, String protocolName,
                           String leader, boolean skipAssignment, String memberId, List<Member> members) {
        public static Response failed(ErrorCode error, String memberId) {
            return new Response(error, -1, null, null, "", false, memberId, List.of());
        }
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.JOIN_GROUP;
    }

    @Override
    public Request decodeRequest(ByteBuffer body, short version) {
        JoinGroupRequestData data = Codecs.parse(body, readable -> new JoinGroupRequestData(readable, version));
        List<Protocol> protocols = new ArrayList<>(data.protocols().size());
        for (JoinGroupRequestData.JoinGroupRequestProtocol p : data.protocols()) {
            protocols.add(new Protocol(p.name(), p.metadata().clone()));
        }
        int rebalanceTimeoutMs = version >= 1 ? data.rebalanceTimeoutMs() : data.sessionTimeoutMs();
        return new Request(data.groupId(), data.sessionTimeoutMs(), rebalanceTimeoutMs, data.memberId(),
                data.groupInstanceId(), data.protocolType(), protocols, data.reason());
    }

    @Override
    public EncodedResponse encodeResponse(Response response, short version, int correlationId) {
        String protocolName = response.protocolName();
        if (protocolName == null && version < 7) {
            protocolName = "";
        }
        JoinGroupResponseData data = new JoinGroupResponseData()
                .setThrottleTimeMs(0)
                .setErrorCode(Codecs.code(response.error()))
                .setGenerationId(response.generationId())
                .setProtocolType(response.protocolType())
                .setProtocolName(protocolName)
                .setLeader(response.leader() == null ? "" : response.leader())
                .setMemberId(response.memberId() == null ? "" : response.memberId());
        if (version >= 9) {
            data.setSkipAssignment(response.skipAssignment());
        }
        for (Member m : response.members()) {
            data.members().add(new JoinGroupResponseData.JoinGroupResponseMember()
                    .setMemberId(m.memberId())
                    .setGroupInstanceId(m.groupInstanceId())
                    .setMetadata(m.metadata() == null ? new byte[0] : m.metadata()));
        }
        return ResponseWriter.encode(data, ApiKeys.JOIN_GROUP, version, correlationId);
    }

    /** As a Kafka broker does: generation -1, no leader, and an empty member id. */
    @Override
    public EncodedResponse encodeErrorResponse(Request request, short version, int correlationId, ErrorCode error) {
        return encodeResponse(Response.failed(error, ""), version, correlationId);
    }
}
