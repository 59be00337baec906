package io.millrace.protocol.codec;

import io.millrace.protocol.ApiCodec;
import io.millrace.protocol.ApiKey;
import io.millrace.protocol.EncodedResponse;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.wire.ResponseWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * DescribeGroups. The error message is on the wire from version 6, authorized operations from
 * version 3 ({@link #AUTHORIZED_OPERATIONS_OMITTED} when not asked for).
 */
public final class DescribeGroupsCodec implements ApiCodec<DescribeGroupsCodec.Request, DescribeGroupsCodec.Response> {

    /** Kafka's default for authorized operations: not requested or not computed. */
    public static final int AUTHORIZED_OPERATIONS_OMITTED = Integer.MIN_VALUE;

    public record Request(List<String> groups, boolean includeAuthorizedOperations) {
    }

    /** {@code groupInstanceId} may be null. */
    public record Member(String memberId, String groupInstanceId, String clientId, String clientHost,
                         byte[] metadata, byte[] assignment) {
    }

    /** {@code errorMessage} may be null. */
    public record Group(ErrorCode error, String errorMessage, String groupId, String state, String protocolType,
                        String protocolData, List<Member> members, int authorizedOperations) {
        /** As a Kafka broker answers for a group it cannot describe: empty state, protocol and members. */
        public static Group failed(String groupId, ErrorCode error) {
            return new Group(error, null, groupId, "", "", "", List.of(), AUTHORIZED_OPERATIONS_OMITTED);
        }
    }

    public record Response(List<Group> groups) {
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.DESCRIBE_GROUPS;
    }

    @Override
    public Request decodeRequest(ByteBuffer body, short version) {
        DescribeGroupsRequestData data = Codecs.parse(body, readable -> new DescribeGroupsRequestData(readable, version));
        return new Request(List.copyOf(data.groups()), data.includeAuthorizedOperations());
    }

    @Override
    public EncodedResponse encodeResponse(Response response, short version, int correlationId) {
        DescribeGroupsResponseData data = new DescribeGroupsResponseData().setThrottleTimeMs(0);
        for (Group group : response.groups()) {
            DescribeGroupsResponseData.DescribedGroup wire = new DescribeGroupsResponseData.DescribedGroup()
                    .setErrorCode(Codecs.code(group.error()))
                    .setGroupId(group.groupId())
                    .setGroupState(orEmpty(group.state()))
                    .setProtocolType(orEmpty(group.protocolType()))
                    .setProtocolData(orEmpty(group.protocolData()));
            if (version >= 6) {
                wire.setErrorMessage(group.errorMessage());
            }
            if (version >= 3) {
                wire.setAuthorizedOperations(group.authorizedOperations());
            }
            for (Member m : group.members()) {
                wire.members().add(new DescribeGroupsResponseData.DescribedGroupMember()
                        .setMemberId(m.memberId())
                        .setGroupInstanceId(m.groupInstanceId())
                        .setClientId(orEmpty(m.clientId()))
                        .setClientHost(orEmpty(m.clientHost()))
                        .setMemberMetadata(m.metadata() == null ? new byte[0] : m.metadata())
                        .setMemberAssignment(m.assignment() == null ? new byte[0] : m.assignment()));
            }
            data.groups().add(wire);
        }
        return ResponseWriter.encode(data, ApiKeys.DESCRIBE_GROUPS, version, correlationId);
    }

    @Override
    public EncodedResponse encodeErrorResponse(Request request, short version, int correlationId, ErrorCode error) {
        List<Group> groups = new ArrayList<>(request.groups().size());
        for (String groupId : request.groups()) {
            groups.add(Group.failed(groupId, error));
        }
        return encodeResponse(new Response(groups), version, correlationId);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
