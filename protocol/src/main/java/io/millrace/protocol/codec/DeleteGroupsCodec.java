package io.millrace.protocol.codec;

import io.millrace.protocol.ApiCodec;
import io.millrace.protocol.ApiKey;
import io.millrace.protocol.EncodedResponse;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.wire.ResponseWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/** DeleteGroups: delete empty groups, each with its own result. */
public final class DeleteGroupsCodec implements ApiCodec<DeleteGroupsCodec.Request, DeleteGroupsCodec.Response> {

    public record Request(List<String> groups) {
    }

    public record Result(String groupId, ErrorCode error) {
    }

    public record Response(List<Result> results) {
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.DELETE_GROUPS;
    }

    @Override
    public Request decodeRequest(ByteBuffer body, short version) {
        DeleteGroupsRequestData data = Codecs.parse(body, readable -> new DeleteGroupsRequestData(readable, version));
        return new Request(List.copyOf(data.groupsNames()));
    }

    @Override
    public EncodedResponse encodeResponse(Response response, short version, int correlationId) {
        DeleteGroupsResponseData data = new DeleteGroupsResponseData().setThrottleTimeMs(0);
        for (Result result : response.results()) {
            data.results().add(new DeleteGroupsResponseData.DeletableGroupResult()
                    .setGroupId(result.groupId())
                    .setErrorCode(Codecs.code(result.error())));
        }
        return ResponseWriter.encode(data, ApiKeys.DELETE_GROUPS, version, correlationId);
    }

    @Override
    public EncodedResponse encodeErrorResponse(Request request, short version, int correlationId, ErrorCode error) {
        List<Result> results = new ArrayList<>(request.groups().size());
        for (String groupId : request.groups()) {
            results.add(new Result(groupId, error));
        }
        return encodeResponse(new Response(results), version, correlationId);
    }
}
