package io.millrace.broker.handler.admin;

import io.millrace.broker.BrokerServices;
import io.millrace.broker.handler.admin.ConfigAlterations.Key;
import io.millrace.broker.network.ApiHandler;
import io.millrace.broker.network.RequestContext;
import io.millrace.metadata.ErrorResult;
import io.millrace.metadata.MetadataService;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.codec.AlterConfigsCodec;
import io.millrace.protocol.codec.AlterConfigsCodec.Resource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * AlterConfigs (legacy): each TOPIC resource's configs become its whole set of overrides. A name
 * given twice keeps its last value, as in Kafka; a null value is rejected.
 */
public final class AlterConfigsHandler implements ApiHandler<AlterConfigsCodec.Request, AlterConfigsCodec.Response> {

    private final AlterConfigsCodec codec = new AlterConfigsCodec();
    private final MetadataService metadata;

    public AlterConfigsHandler(BrokerServices services) {
        this.metadata = services.metadata();
    }

    @Override
    public AlterConfigsCodec codec() {
        return codec;
    }

    @Override
    public CompletionStage<AlterConfigsCodec.Response> handle(RequestContext context, AlterConfigsCodec.Request request) {
        return ConfigAlterations.alterEach(request.resources(),
                        r -> new Key(r.resourceType(), r.resourceName()),
                        r -> replace(r, request.validateOnly()),
                        o -> new AlterConfigsCodec.ResourceResult(o.result().error(), o.result().errorMessage(),
                                o.key().resourceType(), o.key().resourceName()))
                .thenApply(AlterConfigsCodec.Response::new);
    }

    private CompletableFuture<ErrorResult> replace(Resource resource, boolean validateOnly) {
        Map<String, String> configs = new LinkedHashMap<>();
        for (AlterConfigsCodec.Config config : resource.configs()) {
            if (config.value() == null) {
                return CompletableFuture.completedFuture(new ErrorResult(ErrorCode.INVALID_REQUEST,
                        "Null value not supported for : " + config.name()));
            }
            configs.put(config.name(), config.value());
        }
        return metadata.alterTopicConfigs(resource.resourceName(), configs, Set.of(), true, validateOnly);
    }
}
