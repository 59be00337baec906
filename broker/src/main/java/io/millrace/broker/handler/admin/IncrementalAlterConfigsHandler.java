package io.millrace.broker.handler.admin;

import io.millrace.broker.BrokerServices;
import io.millrace.broker.TopicDefaults;
import io.millrace.broker.handler.admin.ConfigAlterations.Key;
import io.millrace.broker.network.ApiHandler;
import io.millrace.broker.network.RequestContext;
import io.millrace.metadata.ConfigEntry;
import io.millrace.metadata.ConfigType;
import io.millrace.metadata.ErrorResult;
import io.millrace.metadata.MetadataService;
import io.millrace.metadata.TopicConfigs;
import io.millrace.metadata.TopicInfo;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.MillraceException;
import io.millrace.protocol.codec.IncrementalAlterConfigsCodec;
import io.millrace.protocol.codec.IncrementalAlterConfigsCodec.Op;
import io.millrace.protocol.codec.IncrementalAlterConfigsCodec.Resource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * IncrementalAlterConfigs on TOPIC resources. SET and DELETE pass straight to the metadata
 * quorum; APPEND and SUBTRACT apply to list configs (cleanup.policy) and, as in Kafka, start from
 * the topic's current override, else its effective default, and are sent as a SET of the result.
 * The base value is read from this node's image, so two concurrent APPENDs to one topic may race.
 */
public final class IncrementalAlterConfigsHandler
        implements ApiHandler<IncrementalAlterConfigsCodec.Request, IncrementalAlterConfigsCodec.Response> {

    private final IncrementalAlterConfigsCodec codec = new IncrementalAlterConfigsCodec();
    private final MetadataService metadata;
    private final Map<String, String> brokerDefaults;

    public IncrementalAlterConfigsHandler(BrokerServices services) {
        this.metadata = services.metadata();
        this.brokerDefaults = TopicDefaults.of(services.config());
    }

    @Override
    public IncrementalAlterConfigsCodec codec() {
        return codec;
    }

    @Override
    public CompletionStage<IncrementalAlterConfigsCodec.Response> handle(RequestContext context,
                                                                         IncrementalAlterConfigsCodec.Request request) {
        return ConfigAlterations.alterEach(request.resources(),
                        r -> new Key(r.resourceType(), r.resourceName()),
                        r -> alter(r, request.validateOnly()),
                        o -> new IncrementalAlterConfigsCodec.ResourceResult(o.result().error(), o.result().errorMessage(),
                                o.key().resourceType(), o.key().resourceName()))
                .thenApply(IncrementalAlterConfigsCodec.Response::new);
    }

    private CompletableFuture<ErrorResult> alter(Resource resource, boolean validateOnly) {
        Set<String> names = new HashSet<>();
        for (Op op : resource.ops()) {
            if (!names.add(op.name())) {
                return failed(ErrorCode.INVALID_REQUEST, "Error due to duplicate config keys");
            }
        }
        TopicInfo topic = metadata.image().topic(resource.resourceName()).orElse(null);
        Map<String, String> set = new LinkedHashMap<>();
        Set<String> delete = new HashSet<>();
        try {
            for (Op op : resource.ops()) {
                switch (op.type()) {
                    case SET -> set.put(op.name(), requireValue(op));
                    case DELETE -> delete.add(op.name());
                    case APPEND, SUBTRACT -> {
                        if (topic == null) {
                            return failed(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
                                    "The topic '" + resource.resourceName() + "' does not exist.");
                        }
                        set.put(op.name(), applyListOp(topic, op));
                    }
                    default -> {
                        return failed(ErrorCode.INVALID_REQUEST, "Unknown config operation for " + op.name());
                    }
                }
            }
        } catch (MillraceException e) {
            return failed(e.code(), e.getMessage());
        }
        return metadata.alterTopicConfigs(resource.resourceName(), set, delete, false, validateOnly);
    }

    private String applyListOp(TopicInfo topic, Op op) {
        ConfigEntry current = TopicConfigs.describe(topic.configs(), brokerDefaults).stream()
                .filter(e -> e.name().equals(op.name())).findFirst()
                .orElseThrow(() -> new MillraceException(ErrorCode.INVALID_CONFIG,
                        "Unknown topic config name: " + op.name()));
        if (current.type() != ConfigType.LIST) {
            throw new MillraceException(ErrorCode.INVALID_CONFIG,
                    "Can't " + op.type() + " to key " + op.name() + " because its type is not LIST.");
        }
        List<String> values = new ArrayList<>(split(current.value()));
        for (String item : split(requireValue(op))) {
            if (op.type() == IncrementalAlterConfigsCodec.OpType.APPEND) {
                if (!values.contains(item)) {
                    values.add(item);
                }
            } else {
                values.remove(item);
            }
        }
        return String.join(",", values);
    }

    private static String requireValue(Op op) {
        if (op.value() == null) {
            throw new MillraceException(ErrorCode.INVALID_REQUEST, "Null value not supported for : " + op.name());
        }
        return op.value();
    }

    private static List<String> split(String value) {
        String trimmed = value == null ? "" : value.trim();
        return trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("\\s*,\\s*"));
    }

    private static CompletableFuture<ErrorResult> failed(ErrorCode error, String message) {
        return CompletableFuture.completedFuture(new ErrorResult(error, message));
    }
}
