package io.millrace.protocol.codec;

import io.millrace.protocol.ApiCodec;
import io.millrace.protocol.ApiKey;
import io.millrace.protocol.EncodedResponse;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.wire.ResponseWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * IncrementalAlterConfigs: per config, SET a value, DELETE the override, or APPEND to / SUBTRACT
 * from a list config. Operations keep their request order, repeated names included.
 */
public final class IncrementalAlterConfigsCodec
        implements ApiCodec<IncrementalAlterConfigsCodec.Request, IncrementalAlterConfigsCodec.Response> {

    /** Kafka's AlterConfigOp.OpType by wire id; ids Kafka does not define decode as UNKNOWN. */
    public enum OpType {
        SET(0), DELETE(1), APPEND(2), SUBTRACT(3), UNKNOWN(-1);

        private final byte id;

        OpType(int id) {
            this.id = (byte) id;
        }

        public byte id() {
            return id;
        }

        static OpType of(byte id) {
            for (OpType op : values()) {
                if (op.id == id && op != UNKNOWN) {
                    return op;
                }
            }
            return UNKNOWN;
        }
    }

    /** {@code value} may be null on the wire. */
    public record Op(String name, OpType type, String value) {
    }

    /** {@code resourceType} is the raw wire id; see {@link ConfigResourceType}. */
    public record Resource(byte resourceType, String resourceName, List<Op> ops) {
    }

    public record Request(List<Resource> resources, boolean validateOnly) {
    }

    public record ResourceResult(ErrorCode error, String errorMessage, byte resourceType, String resourceName) {
    }

    public record Response(List<ResourceResult> results) {
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.INCREMENTAL_ALTER_CONFIGS;
    }

    @Override
    public Request decodeRequest(ByteBuffer body, short version) {
        IncrementalAlterConfigsRequestData data =
                Codecs.parse(body, readable -> new IncrementalAlterConfigsRequestData(readable, version));
        List<Resource> resources = new ArrayList<>(data.resources().size());
        for (IncrementalAlterConfigsRequestData.AlterConfigsResource r : data.resources()) {
            List<Op> ops = new ArrayList<>(r.configs().size());
            for (IncrementalAlterConfigsRequestData.AlterableConfig c : r.configs()) {
                ops.add(new Op(c.name(), OpType.of(c.configOperation()), c.value()));
            }
            resources.add(new Resource(r.resourceType(), r.resourceName(), ops));
        }
        return new Request(resources, data.validateOnly());
    }

    @Override
    public EncodedResponse encodeResponse(Response response, short version, int correlationId) {
        IncrementalAlterConfigsResponseData data = new IncrementalAlterConfigsResponseData();
        for (ResourceResult result : response.results()) {
            data.responses().add(new IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse()
                    .setErrorCode(Codecs.code(result.error()))
                    .setErrorMessage(result.errorMessage())
                    .setResourceType(result.resourceType())
                    .setResourceName(result.resourceName()));
        }
        return ResponseWriter.encode(data, ApiKeys.INCREMENTAL_ALTER_CONFIGS, version, correlationId);
    }

    @Override
    public EncodedResponse encodeErrorResponse(Request request, short version, int correlationId, ErrorCode error) {
        List<ResourceResult> results = request.resources().stream()
                .map(r -> new ResourceResult(error, null, r.resourceType(), r.resourceName())).toList();
        return encodeResponse(new Response(results), version, correlationId);
    }
}
