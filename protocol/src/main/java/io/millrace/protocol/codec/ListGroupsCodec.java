package io.millrace.protocol.codec;

import io.millrace.protocol.ApiCodec;
import io.millrace.protocol.ApiKey;
import io.millrace.protocol.EncodedResponse;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.wire.ResponseWriter;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * ListGroups. The states filter is on the wire from version 4 and the types filter from version 5;
 * both are empty (no filtering) when absent. Group state and type are sent from versions 4 and 5.
 */
public final class ListGroupsCodec implements ApiCodec<ListGroupsCodec.Request, ListGroupsCodec.Response> {

    public record Request(List<String> statesFilter, List<String> typesFilter) {
    }

    public record Group(String groupId, String protocolType, String state, String groupType) {
    }

    public record Response(ErrorCode error, List<Group> groups) {
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.LIST_GROUPS;
    }

    @Override
    public Request decodeRequest(ByteBuffer body, short version) {
        ListGroupsRequestData data = Codecs.parse(body, readable -> new ListGroupsRequestData(readable, version));
        return new Request(
                data.statesFilter() == null ? List.of() : List.copyOf(data.statesFilter()),
                data.typesFilter() == null ? List.of() : List.copyOf(data.typesFilter()));
    }

    @Override
    public EncodedResponse encodeResponse(Response response, short version, int correlationId) {
        ListGroupsResponseData data = new ListGroupsResponseData()
                .setThrottleTimeMs(0)
                .setErrorCode(Codecs.code(response.error()));
        for (Group group : response.groups()) {
            data.groups().add(new ListGroupsResponseData.ListedGroup()
                    .setGroupId(group.groupId())
                    .setProtocolType(orEmpty(group.protocolType()))
                    .setGroupState(orEmpty(group.state()))
                    .setGroupType(orEmpty(group.groupType())));
        }
        return ResponseWriter.encode(data, ApiKeys.LIST_GROUPS, version, correlationId);
    }

    @Override
    public EncodedResponse encodeErrorResponse(Request request, short version, int correlationId, ErrorCode error) {
        return encodeResponse(new Response(error, List.of()), version, correlationId);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
