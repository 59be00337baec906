package io.millrace.broker.handler.admin;

import io.millrace.broker.BrokerServices;
import io.millrace.broker.network.ApiHandler;
import io.millrace.broker.network.RequestContext;
import io.millrace.metadata.BrokerInfo;
import io.millrace.metadata.MetadataImage;
import io.millrace.metadata.MetadataService;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.codec.DescribeClusterCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * DescribeCluster from the metadata image. Millrace nodes serve only broker endpoints, so, as a
 * Kafka broker does, a request addressed to a controller endpoint gets MISMATCHED_ENDPOINT_TYPE
 * and an unknown endpoint type UNSUPPORTED_ENDPOINT_TYPE (INVALID_REQUEST at version 0).
 *
 * <p>The controller id is the Raft leader when it is a live broker. Otherwise it is the lowest live
 * broker id, as a Kafka broker answers with some live broker: clients send controller-bound
 * requests to it, and any Millrace node can propose metadata changes.
 */
public final class DescribeClusterHandler
        implements ApiHandler<DescribeClusterCodec.Request, DescribeClusterCodec.Response> {

    private final DescribeClusterCodec codec = new DescribeClusterCodec();
    private final MetadataService metadata;

    public DescribeClusterHandler(BrokerServices services) {
        this.metadata = services.metadata();
    }

    @Override
    public DescribeClusterCodec codec() {
        return codec;
    }

    @Override
    public CompletionStage<DescribeClusterCodec.Response> handle(RequestContext context,
                                                                 DescribeClusterCodec.Request request) {
        byte endpointType = request.endpointType();
        if (endpointType != DescribeClusterCodec.ENDPOINT_TYPE_BROKER
                && endpointType != DescribeClusterCodec.ENDPOINT_TYPE_CONTROLLER) {
            return error(context, ErrorCode.UNSUPPORTED_ENDPOINT_TYPE, "Unsupported endpoint type " + endpointType);
        }
        if (endpointType == DescribeClusterCodec.ENDPOINT_TYPE_CONTROLLER) {
            return error(context, ErrorCode.MISMATCHED_ENDPOINT_TYPE,
                    "The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type CONTROLLER");
        }
        MetadataImage image = metadata.image();
        List<DescribeClusterCodec.Broker> brokers = new ArrayList<>();
        for (BrokerInfo broker : image.brokers().values()) {
            if (!broker.fenced() || request.includeFencedBrokers()) {
                brokers.add(new DescribeClusterCodec.Broker(broker.id(), broker.host(), broker.port(), broker.rack(),
                        broker.fenced()));
            }
        }
        return CompletableFuture.completedFuture(new DescribeClusterCodec.Response(ErrorCode.NONE, null,
                DescribeClusterCodec.ENDPOINT_TYPE_BROKER, image.clusterId(), controllerId(image), brokers));
    }

    private static int controllerId(MetadataImage image) {
        int leader = image.controllerId().orElse(-1);
        BrokerInfo leaderBroker = image.brokers().get(leader);
        if (leaderBroker != null && !leaderBroker.fenced()) {
            return leader;
        }
        return image.brokers().values().stream().filter(b -> !b.fenced()).mapToInt(BrokerInfo::id)
                .findFirst().orElse(-1);
    }

    private static CompletionStage<DescribeClusterCodec.Response> error(RequestContext context, ErrorCode error,
                                                                        String message) {
        ErrorCode sent = context.apiVersion() == 0 ? ErrorCode.INVALID_REQUEST : error;
        return CompletableFuture.completedFuture(new DescribeClusterCodec.Response(sent, message,
                DescribeClusterCodec.ENDPOINT_TYPE_BROKER, "", -1, List.of()));
    }
}
