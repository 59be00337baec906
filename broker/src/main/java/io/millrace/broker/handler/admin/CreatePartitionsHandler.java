package io.millrace.broker.handler.admin;

import io.millrace.broker.BrokerServices;
import io.millrace.broker.network.ApiHandler;
import io.millrace.broker.network.RequestContext;
import io.millrace.metadata.MetadataService;
import io.millrace.metadata.PartitionIncrease;
import io.millrace.metadata.TopicResult;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.codec.CreatePartitionsCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * CreatePartitions. The metadata quorum validates counts and assignments and rejects repeated
 * topic names; the response has one entry per requested name, in request order.
 */
public final class CreatePartitionsHandler
        implements ApiHandler<CreatePartitionsCodec.Request, CreatePartitionsCodec.Response> {

    private final CreatePartitionsCodec codec = new CreatePartitionsCodec();
    private final MetadataService metadata;

    public CreatePartitionsHandler(BrokerServices services) {
        this.metadata = services.metadata();
    }

    @Override
    public CreatePartitionsCodec codec() {
        return codec;
    }

    @Override
    public CompletionStage<CreatePartitionsCodec.Response> handle(RequestContext context,
                                                                  CreatePartitionsCodec.Request request) {
        List<PartitionIncrease> increases = request.topics().stream()
                .map(t -> new PartitionIncrease(t.name(), t.count(), t.assignments())).toList();
        return metadata.createPartitions(increases, request.validateOnly()).thenApply(results -> respond(request, results));
    }

    private static CreatePartitionsCodec.Response respond(CreatePartitionsCodec.Request request,
                                                          List<TopicResult> results) {
        Map<String, TopicResult> byName = new HashMap<>();
        results.forEach(r -> byName.putIfAbsent(r.name(), r));
        List<CreatePartitionsCodec.TopicResult> ordered = new ArrayList<>();
        Set<String> answered = new HashSet<>();
        for (CreatePartitionsCodec.TopicRequest topic : request.topics()) {
            if (answered.add(topic.name())) {
                TopicResult r = byName.get(topic.name());
                ordered.add(r == null
                        ? new CreatePartitionsCodec.TopicResult(topic.name(), ErrorCode.UNKNOWN_SERVER_ERROR,
                                "The metadata quorum returned no result for this topic.")
                        : new CreatePartitionsCodec.TopicResult(topic.name(), r.error(), r.errorMessage()));
            }
        }
        return new CreatePartitionsCodec.Response(ordered);
    }
}
