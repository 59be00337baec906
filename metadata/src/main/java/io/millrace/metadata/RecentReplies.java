package io.millrace.metadata;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The encoded replies of the last {@link #CAPACITY} applied commands, keyed by command id, so a
 * command proposed twice (a proposer's retry after a lost answer) is answered with its first
 * reply and changes nothing the second time. Part of the replicated state: snapshots carry it and
 * eviction is by apply order, so every node evicts the same entries.
 *
 * <p>Thread-safety: immutable; {@link #with} returns a copy.
 */
final class RecentReplies {
    static final int CAPACITY = 1024;
    static final RecentReplies EMPTY = new RecentReplies(new LinkedHashMap<>());

    private final Map<UUID, byte[]> replies;

    private RecentReplies(LinkedHashMap<UUID, byte[]> replies) {
        this.replies = Collections.unmodifiableMap(replies);
    }

    static RecentReplies of(Map<UUID, byte[]> inApplyOrder) {
        RecentReplies result = EMPTY;
        for (Map.Entry<UUID, byte[]> e : inApplyOrder.entrySet()) {
            result = result.with(e.getKey(), e.getValue());
        }
        return result;
    }

    byte[] get(UUID commandId) {
        return replies.get(commandId);
    }

    RecentReplies with(UUID commandId, byte[] reply) {
        LinkedHashMap<UUID, byte[]> copy = new LinkedHashMap<>(replies);
        copy.put(commandId, reply);
        while (copy.size() > CAPACITY) {
            copy.remove(copy.keySet().iterator().next());
        }
        return new RecentReplies(copy);
    }

    /** The entries in apply order, oldest first. */
    Map<UUID, byte[]> entries() {
        return replies;
    }
}
