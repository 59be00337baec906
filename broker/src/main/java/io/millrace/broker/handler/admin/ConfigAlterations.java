package io.millrace.broker.handler.admin;

import io.millrace.metadata.ErrorResult;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.ErrorMapper;
import io.millrace.protocol.codec.ConfigResourceType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * What AlterConfigs and IncrementalAlterConfigs share: Kafka's checks on resources (unknown type,
 * unsupported type, repeated resource) and collecting one outcome per resource from concurrent
 * metadata operations. Only TOPIC resources can be altered: Millrace has no dynamic broker configs.
 */
final class ConfigAlterations {

    /** A resource's identity as the request named it. */
    record Key(byte resourceType, String resourceName) {
    }

    private ConfigAlterations() {
    }

    /**
     * The resources named more than once; Kafka fails each of them with "Duplicate resource."
     */
    private static Set<Key> duplicates(List<Key> keys) {
        Set<Key> seen = new HashSet<>();
        Set<Key> duplicates = new HashSet<>();
        for (Key key : keys) {
            if (!seen.add(key)) {
                duplicates.add(key);
            }
        }
        return duplicates;
    }

    /**
     * The error for a resource that cannot be altered, or null for a TOPIC resource named once.
     */
    private static ErrorResult precheck(Key key, Set<Key> duplicates) {
        ConfigResourceType type = ConfigResourceType.of(key.resourceType());
        if (type == ConfigResourceType.UNKNOWN) {
            return new ErrorResult(ErrorCode.UNSUPPORTED_VERSION, "Unknown resource type " + key.resourceType() + ".");
        }
        if (duplicates.contains(key)) {
            return new ErrorResult(ErrorCode.INVALID_REQUEST, "Duplicate resource.");
        }
        if (type == ConfigResourceType.BROKER) {
            return new ErrorResult(ErrorCode.INVALID_REQUEST, "Dynamic broker configs are not supported.");
        }
        if (type != ConfigResourceType.TOPIC) {
            return new ErrorResult(ErrorCode.INVALID_REQUEST, "Unsupported resource type: " + type);
        }
        return null;
    }

    /**
     * The shared shape of AlterConfigs and IncrementalAlterConfigs: prechecks every resource (unknown
     * type, named twice, not a topic), alters the rest with {@code alter}, and answers once per
     * distinct resource in request order.
     */
    static <T, R> CompletableFuture<List<R>> alterEach(List<T> resources, Function<T, Key> keyOf,
                                                       Function<T, CompletableFuture<ErrorResult>> alter,
                                                       Function<Outcome, R> toResult) {
        List<Key> keys = resources.stream().map(keyOf).toList();
        Set<Key> duplicates = duplicates(keys);
        Map<Key, CompletableFuture<ErrorResult>> outcomes = new HashMap<>();
        for (T resource : resources) {
            Key key = keyOf.apply(resource);
            ErrorResult rejected = precheck(key, duplicates);
            outcomes.putIfAbsent(key, rejected != null ? CompletableFuture.completedFuture(rejected) : alter.apply(resource));
        }
        return collect(keys, outcomes, toResult);
    }

    /**
     * Waits for every resource's outcome and builds one result per distinct resource, in request
     * order. A failed future becomes that resource's error.
     */
    private static <R> CompletableFuture<List<R>> collect(List<Key> keys, Map<Key, CompletableFuture<ErrorResult>> outcomes,
                                                  Function<Outcome, R> toResult) {
        CompletableFuture<?>[] all = outcomes.values().toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(all).handle((ignored, error) -> {
            List<R> results = new ArrayList<>();
            Set<Key> answered = new HashSet<>();
            for (Key key : keys) {
                if (answered.add(key)) {
                    results.add(toResult.apply(new Outcome(key, outcomeOf(outcomes.get(key)))));
                }
            }
            return results;
        });
    }

    private static ErrorResult outcomeOf(CompletableFuture<ErrorResult> future) {
        Objects.requireNonNull(future, "future");
        try {
            return future.join();
        } catch (RuntimeException failure) {
            Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
            return new ErrorResult(ErrorMapper.codeOf(cause), cause.getMessage());
        }
    }

    record Outcome(Key key, ErrorResult result) {
    }
}
