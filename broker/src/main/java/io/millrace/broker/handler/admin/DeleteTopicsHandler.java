package io.millrace.broker.handler.admin;

import io.millrace.broker.BrokerServices;
import io.millrace.broker.network.ApiHandler;
import io.millrace.broker.network.RequestContext;
import io.millrace.metadata.MetadataService;
import io.millrace.metadata.TopicResult;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.MillraceException;
import io.millrace.protocol.codec.DeleteTopicsCodec;
import io.millrace.protocol.codec.DeleteTopicsCodec.TopicRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * DeleteTopics by name and (v6+) by id. As in Kafka, a topic given both ways or neither way fails
 * the whole request, and a name or id given twice fails with INVALID_REQUEST for that name or id.
 */
public final class DeleteTopicsHandler implements ApiHandler<DeleteTopicsCodec.Request, DeleteTopicsCodec.Response> {

    private final DeleteTopicsCodec codec = new DeleteTopicsCodec();
    private final MetadataService metadata;

    public DeleteTopicsHandler(BrokerServices services) {
        this.metadata = services.metadata();
    }

    @Override
    public DeleteTopicsCodec codec() {
        return codec;
    }

    @Override
    public CompletionStage<DeleteTopicsCodec.Response> handle(RequestContext context, DeleteTopicsCodec.Request request) {
        for (TopicRef ref : request.topics()) {
            if (ref.name() == null && ref.topicId() == null) {
                return CompletableFuture.failedFuture(new MillraceException(ErrorCode.INVALID_REQUEST,
                        "Neither topic name nor id were specified."));
            }
            if (ref.name() != null && ref.topicId() != null) {
                return CompletableFuture.failedFuture(new MillraceException(ErrorCode.INVALID_REQUEST,
                        "You may not specify both topic name and topic id."));
            }
        }
        Set<String> duplicateNames = duplicates(request.topics().stream().map(TopicRef::name).toList());
        Set<UUID> duplicateIds = duplicates(request.topics().stream().map(TopicRef::topicId).toList());
        List<String> names = request.topics().stream().map(TopicRef::name)
                .filter(n -> n != null && !duplicateNames.contains(n)).distinct().toList();
        List<UUID> ids = request.topics().stream().map(TopicRef::topicId)
                .filter(id -> id != null && !duplicateIds.contains(id)).distinct().toList();
        return metadata.deleteTopics(names).thenCombine(metadata.deleteTopicsById(ids),
                (byName, byId) -> respond(request, duplicateNames, duplicateIds, byName, byId));
    }

    private static DeleteTopicsCodec.Response respond(DeleteTopicsCodec.Request request, Set<String> duplicateNames,
                                                      Set<UUID> duplicateIds, List<TopicResult> byName,
                                                      List<TopicResult> byId) {
        Map<String, TopicResult> nameResults = new HashMap<>();
        byName.forEach(r -> nameResults.put(r.name(), r));
        Map<UUID, TopicResult> idResults = new HashMap<>();
        byId.forEach(r -> idResults.put(r.topicId(), r));
        List<DeleteTopicsCodec.TopicResult> results = new ArrayList<>();
        Set<Object> answered = new HashSet<>();
        for (TopicRef ref : request.topics()) {
            Object key = ref.name() != null ? ref.name() : ref.topicId();
            if (!answered.add(key)) {
                continue;
            }
            if (ref.name() != null) {
                results.add(duplicateNames.contains(ref.name())
                        ? new DeleteTopicsCodec.TopicResult(ref.name(), null, ErrorCode.INVALID_REQUEST,
                                "Duplicate topic name.")
                        : toResult(nameResults.get(ref.name()), ref));
            } else {
                results.add(duplicateIds.contains(ref.topicId())
                        ? new DeleteTopicsCodec.TopicResult(null, ref.topicId(), ErrorCode.INVALID_REQUEST,
                                "Duplicate topic id.")
                        : toResult(idResults.get(ref.topicId()), ref));
            }
        }
        return new DeleteTopicsCodec.Response(results);
    }

    private static DeleteTopicsCodec.TopicResult toResult(TopicResult result, TopicRef ref) {
        if (result == null) {
            ErrorCode missing = ref.name() != null ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.UNKNOWN_TOPIC_ID;
            return new DeleteTopicsCodec.TopicResult(ref.name(), ref.topicId(), missing, null);
        }
        String name = result.name() != null ? result.name() : ref.name();
        UUID id = result.topicId() != null ? result.topicId() : ref.topicId();
        return new DeleteTopicsCodec.TopicResult(name, id, result.error(), result.errorMessage());
    }

    private static <T> Set<T> duplicates(List<T> values) {
        Set<T> seen = new HashSet<>();
        Set<T> duplicates = new HashSet<>();
        for (T value : values) {
            if (value != null && !seen.add(value)) {
                duplicates.add(value);
            }
        }
        return duplicates;
    }
}
