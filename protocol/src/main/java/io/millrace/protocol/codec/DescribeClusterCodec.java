package io.millrace.protocol.codec;

import io.millrace.protocol.ApiCodec;
import io.millrace.protocol.ApiKey;
import io.millrace.protocol.EncodedResponse;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.wire.ResponseWriter;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * DescribeCluster: cluster id, controller and brokers. From version 1 the client names the kind of
 * endpoint it addressed (1 brokers, 2 controllers); from version 2 it may ask for fenced brokers.
 */
public final class DescribeClusterCodec
        implements ApiCodec<DescribeClusterCodec.Request, DescribeClusterCodec.Response> {

    public static final byte ENDPOINT_TYPE_BROKER = 1;
    public static final byte ENDPOINT_TYPE_CONTROLLER = 2;

    /** Kafka's value of {@code clusterAuthorizedOperations} when they were not asked for. */
    private static final int AUTHORIZED_OPERATIONS_OMITTED = Integer.MIN_VALUE;

    public record Request(boolean includeClusterAuthorizedOperations, byte endpointType,
                          boolean includeFencedBrokers) {
    }

    public record Broker(int brokerId, String host, int port, String rack, boolean fenced) {
    }

    public record Response(ErrorCode error, String errorMessage, byte endpointType, String clusterId,
                           int controllerId, List<Broker> brokers) {
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.DESCRIBE_CLUSTER;
    }

    @Override
    public Request decodeRequest(ByteBuffer body, short version) {
        DescribeClusterRequestData data =
                Codecs.parse(body, readable -> new DescribeClusterRequestData(readable, version));
        return new Request(data.includeClusterAuthorizedOperations(), data.endpointType(),
                data.includeFencedBrokers());
    }

    @Override
    public EncodedResponse encodeResponse(Response response, short version, int correlationId) {
        DescribeClusterResponseData data = new DescribeClusterResponseData()
                .setErrorCode(Codecs.code(response.error()))
                .setErrorMessage(response.errorMessage())
                .setEndpointType(response.endpointType())
                .setClusterId(response.clusterId() == null ? "" : response.clusterId())
                .setControllerId(response.controllerId())
                .setClusterAuthorizedOperations(AUTHORIZED_OPERATIONS_OMITTED);
        for (Broker broker : response.brokers()) {
            data.brokers().add(new DescribeClusterResponseData.DescribeClusterBroker()
                    .setBrokerId(broker.brokerId())
                    .setHost(broker.host())
                    .setPort(broker.port())
                    .setRack(broker.rack())
                    .setIsFenced(version >= 2 && broker.fenced()));
        }
        return ResponseWriter.encode(data, ApiKeys.DESCRIBE_CLUSTER, version, correlationId);
    }

    @Override
    public EncodedResponse encodeErrorResponse(Request request, short version, int correlationId, ErrorCode error) {
        return encodeResponse(new Response(error, null, ENDPOINT_TYPE_BROKER, "", -1, List.of()),
                version, correlationId);
    }
}
