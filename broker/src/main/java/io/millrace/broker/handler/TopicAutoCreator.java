package io.millrace.broker.handler;

import io.millrace.metadata.CreateTopicResult;
import io.millrace.metadata.MetadataService;
import io.millrace.metadata.NewTopic;
import io.millrace.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Creates topics that clients name before they exist ({@code auto.create.topics.enable}), with the
 * broker's default partition count and replication factor. The future completes only once the
 * topic, its leaders included, is in this node's metadata image, so the response that first lists
 * the topic already shows a leader for every partition (seeds 002 and 004).
 *
 * <p>Many producers discovering the same new topic at once share one creation request.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public final class TopicAutoCreator {

    private final MetadataService metadata;
    private final ConcurrentHashMap<String, CompletableFuture<CreateTopicResult>> inFlight = new ConcurrentHashMap<>();

    public TopicAutoCreator(MetadataService metadata) {
        this.metadata = metadata;
    }

    /** Creates each topic unless it exists; TOPIC_ALREADY_EXISTS counts as success. */
    public CompletableFuture<Map<String, CreateTopicResult>> create(Collection<String> names) {
        Map<String, CompletableFuture<CreateTopicResult>> futures = new LinkedHashMap<>();
        for (String name : names) {
            futures.put(name, inFlight.computeIfAbsent(name, this::createOne));
        }
        return CompletableFuture.allOf(futures.values().toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            Map<String, CreateTopicResult> results = new LinkedHashMap<>();
            futures.forEach((name, future) -> results.put(name, future.join()));
            return results;
        });
    }

    private CompletableFuture<CreateTopicResult> createOne(String name) {
        CompletableFuture<CreateTopicResult> future = metadata.createTopics(List.of(NewTopic.withDefaults(name)), false)
                .thenApply(results -> {
                    CreateTopicResult result = results.get(0);
                    if (result.error() == ErrorCode.TOPIC_ALREADY_EXISTS) {
                        return new CreateTopicResult(name, ErrorCode.NONE, null, null, -1, (short) -1, Map.of());
                    }
                    return result;
                });
        future.whenComplete((result, failure) -> inFlight.remove(name));
        return future;
    }

}
