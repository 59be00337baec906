package io.millrace.protocol.codec;

import io.millrace.protocol.ApiCodec;
import io.millrace.protocol.ApiKey;
import io.millrace.protocol.EncodedResponse;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.ErrorMapper;
import io.millrace.protocol.wire.ResponseWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * FindCoordinator: which broker coordinates a group (or transactional id). Versions 0-3 carry a
 * single key, decoded as a one-element list; version 4 and later batch keys. Below version 1 the
 * key type is always {@link #KEY_TYPE_GROUP}.
 */
public final class FindCoordinatorCodec implements ApiCodec<FindCoordinatorCodec.Request, FindCoordinatorCodec.Response> {

    public static final byte KEY_TYPE_GROUP = 0;
    public static final byte KEY_TYPE_TRANSACTION = 1;

    public record Request(byte keyType, List<String> keys) {
    }

    /** {@code errorMessage} may be null. A failed lookup carries node id -1, host "" and port -1. */
    public record Coordinator(String key, int nodeId, String host, int port, ErrorCode error, String errorMessage) {
        public static Coordinator failed(String key, ErrorCode error) {
            return new Coordinator(key, -1, "", -1, error, ErrorMapper.toKafka(error).message());
        }
    }

    /**
     * One coordinator per requested key. Versions 0-3 answer a single key, so only the first
     * coordinator is sent there (an empty list is sent as COORDINATOR_NOT_AVAILABLE).
     */
    public record Response(List<Coordinator> coordinators) {
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.FIND_COORDINATOR;
    }

    @Override
    public Request decodeRequest(ByteBuffer body, short version) {
        FindCoordinatorRequestData data = Codecs.parse(body, readable -> new FindCoordinatorRequestData(readable, version));
        List<String> keys = version >= 4 ? List.copyOf(data.coordinatorKeys()) : List.of(data.key());
        return new Request(version >= 1 ? data.keyType() : KEY_TYPE_GROUP, keys);
    }

    @Override
    public EncodedResponse encodeResponse(Response response, short version, int correlationId) {
        FindCoordinatorResponseData data = new FindCoordinatorResponseData().setThrottleTimeMs(0);
        if (version >= 4) {
            for (Coordinator c : response.coordinators()) {
                data.coordinators().add(new FindCoordinatorResponseData.Coordinator()
                        .setKey(c.key())
                        .setNodeId(c.nodeId())
                        .setHost(c.host() == null ? "" : c.host())
                        .setPort(c.port())
                        .setErrorCode(Codecs.code(c.error()))
                        .setErrorMessage(c.errorMessage()));
            }
        } else {
            Coordinator c = response.coordinators().isEmpty()
                    ? Coordinator.failed("", ErrorCode.COORDINATOR_NOT_AVAILABLE)
                    : response.coordinators().get(0);
            data.setNodeId(c.nodeId())
                    .setHost(c.host() == null ? "" : c.host())
                    .setPort(c.port())
                    .setErrorCode(Codecs.code(c.error()));
            if (version >= 1) {
                data.setErrorMessage(c.errorMessage());
            }
        }
        return ResponseWriter.encode(data, ApiKeys.FIND_COORDINATOR, version, correlationId);
    }

    @Override
    public EncodedResponse encodeErrorResponse(Request request, short version, int correlationId, ErrorCode error) {
        List<Coordinator> coordinators = new ArrayList<>(request.keys().size());
        for (String key : request.keys()) {
            coordinators.add(Coordinator.failed(key, error));
        }
        return encodeResponse(new Response(coordinators), version, correlationId);
    }
}
