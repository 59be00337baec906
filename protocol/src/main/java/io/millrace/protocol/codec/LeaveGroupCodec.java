package io.millrace.protocol.codec;

import io.millrace.protocol.ApiCodec;
import io.millrace.protocol.ApiKey;
import io.millrace.protocol.EncodedResponse;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.wire.ResponseWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * LeaveGroup. Versions 0-2 name a single member, decoded as one {@link Member} without instance
 * id; from version 3 members leave in batches and each gets its own result. Versions 0-2 answer
 * with the top-level error only.
 */
public final class LeaveGroupCodec implements ApiCodec<LeaveGroupCodec.Request, LeaveGroupCodec.Response> {

    /** {@code groupInstanceId} and {@code reason} are null when absent. */
    public record Member(String memberId, String groupInstanceId, String reason) {
    }

    public record Request(String groupId, List<Member> members) {
    }

    public record MemberResult(String memberId, String groupInstanceId, ErrorCode error) {
    }

    public record Response(ErrorCode error, List<MemberResult> members) {
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.LEAVE_GROUP;
    }

    @Override
    public Request decodeRequest(ByteBuffer body, short version) {
        LeaveGroupRequestData data = Codecs.parse(body, readable -> new LeaveGroupRequestData(readable, version));
        if (version < 3) {
            return new Request(data.groupId(), List.of(new Member(data.memberId(), null, null)));
        }
        List<Member> members = new ArrayList<>(data.members().size());
        for (LeaveGroupRequestData.MemberIdentity m : data.members()) {
            members.add(new Member(m.memberId(), m.groupInstanceId(), m.reason()));
        }
        return new Request(data.groupId(), members);
    }

    @Override
    public EncodedResponse encodeResponse(Response response, short version, int correlationId) {
        LeaveGroupResponseData data = new LeaveGroupResponseData()
                .setThrottleTimeMs(0)
                .setErrorCode(Codecs.code(response.error()));
        if (version >= 3) {
            for (MemberResult m : response.members()) {
                data.members().add(new LeaveGroupResponseData.MemberResponse()
                        .setMemberId(m.memberId())
                        .setGroupInstanceId(m.groupInstanceId())
                        .setErrorCode(Codecs.code(m.error())));
            }
        }
        return ResponseWriter.encode(data, ApiKeys.LEAVE_GROUP, version, correlationId);
    }

    @Override
    public EncodedResponse encodeErrorResponse(Request request, short version, int correlationId, ErrorCode error) {
        List<MemberResult> members = new ArrayList<>(request.members().size());
        for (Member m : request.members()) {
            members.add(new MemberResult(m.memberId(), m.groupInstanceId(), error));
        }
        return encodeResponse(new Response(error, members), version, correlationId);
    }
}
