package io.millrace.it;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * One member of a consumer group (classic protocol, {@code subscribe()}) polling on its own
 * thread, the way an at-least-once application does: every record a poll returns is handed to
 * {@link Ledger#record} before the next poll, and the positions after those records are
 * committed synchronously in {@code onPartitionsRevoked} and then either after every non-empty
 * poll or at most every {@code commitInterval}. A member that loses no commit therefore hands each
 * partition over at exactly the offset after the last record it processed, so the group as a whole
 * consumes every record exactly once.
 *
 * <p>The {@link KafkaConsumer} is used only on the member's thread; the other methods read
 * thread-safe counters. {@link #close()} stops the loop, which closes the consumer (committing in
 * {@code onPartitionsRevoked} and leaving the group) on that thread.
 */
final class GroupMember implements AutoCloseable {

    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(30);
    /** A commit that times out (coordinator away, e.g. during a broker restart) is retried this often. */
    private static final int COMMIT_ATTEMPTS = 4;

    private final String name;
    private final KafkaConsumer<String, String> consumer;
    private final String topic;
    private final Ledger ledger;
    private final boolean commitEveryPoll;
    private final long commitIntervalNanos;
    private final Thread thread;
    private final Set<TopicPartition> assignment = ConcurrentHashMap.newKeySet();
    /** Position after the last processed record of each owned partition, not committed yet; poll thread only. */
    private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
    private final AtomicLong consumed = new AtomicLong();
    private final AtomicLong consumedSinceAssignment = new AtomicLong();
    private final AtomicInteger assignments = new AtomicInteger();
    private final AtomicInteger failedCommits = new AtomicInteger();
    private final AtomicInteger commitsDuringRebalance = new AtomicInteger();
    private final AtomicInteger lostPartitions = new AtomicInteger();
    private volatile boolean stopping;
    private volatile Throwable failure;
    private long nextCommitNanos;

    private GroupMember(String name, MillraceNode node, String group, String topic, Ledger ledger,
                        Map<String, Object> overrides, boolean commitEveryPoll, Duration commitInterval) {
        this.name = name;
        this.topic = topic;
        this.ledger = ledger;
        this.commitEveryPoll = commitEveryPoll;
        this.commitIntervalNanos = commitInterval.toNanos();
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000");
        config.putAll(overrides);
        this.consumer = KafkaSupport.consumer(node, config);
        this.thread = new Thread(this::run, "group-member-" + name);
    }

    /** Starts a member that commits at most every {@code commitInterval} and on revocation. */
    static GroupMember start(String name, MillraceNode node, String group, String topic, Ledger ledger,
                             Map<String, Object> overrides, Duration commitInterval) {
        GroupMember member = new GroupMember(name, node, group, topic, ledger, overrides, false, commitInterval);
        member.thread.start();
        return member;
    }

    /** Starts a member that commits after every non-empty poll and on revocation. */
    static GroupMember startCommittingEveryPoll(String name, MillraceNode node, String group, String topic,
                                                Ledger ledger, Map<String, Object> overrides) {
        GroupMember member = new GroupMember(name, node, group, topic, ledger, overrides, true, Duration.ZERO);
        member.thread.start();
        return member;
    }

    String name() {
        return name;
    }

    /** The partitions this member owns now. */
    Set<TopicPartition> assignment() {
        return Set.copyOf(assignment);
    }

    long consumed() {
        return consumed.get();
    }

    /** Records consumed since the last {@code onPartitionsAssigned}. */
    long consumedSinceAssignment() {
        return consumedSinceAssignment.get();
    }

    int assignments() {
        return assignments.get();
    }

    /**
     * Commits that failed for good: refused with {@link CommitFailedException} (the member was no
     * longer in the generation) or timed out {@value #COMMIT_ATTEMPTS} times. Their records may be
     * consumed again by whoever owns the partition next.
     */
    int failedCommits() {
        return failedCommits.get();
    }

    /**
     * Periodic commits refused because a rebalance was under way (a cooperative member keeps
     * consuming during one); harmless, as the same positions are committed later or on revocation.
     */
    int commitsDuringRebalance() {
        return commitsDuringRebalance.get();
    }

    /** Partitions taken away without revocation ({@code onPartitionsLost}). */
    int lostPartitions() {
        return lostPartitions.get();
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    /**
     * Throws if the poll loop died with an exception. It is not an {@link AssertionError}, so an
     * Awaitility {@code untilAsserted} that calls this fails at once instead of waiting it out.
     */
    void assertHealthy() {
        if (failure != null) {
            throw new IllegalStateException("group member " + name + " failed: " + failure, failure);
        }
    }

    /** Stops polling, closes the consumer (commit on revocation, LeaveGroup) and waits for that. */
    @Override
    public void close() {
        stopping = true;
        try {
            thread.join(Duration.ofSeconds(90).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (thread.isAlive()) {
            throw new AssertionError("group member " + name + " did not close within 90 s");
        }
        assertHealthy();
    }

    @Override
    public String toString() {
        return name + "[owns " + assignment + ", consumed " + consumed + ", assignments " + assignments
                + ", failed commits " + failedCommits + ", commits during rebalance " + commitsDuringRebalance
                + ", lost " + lostPartitions + "]";
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic), new Listener());
            nextCommitNanos = System.nanoTime() + commitIntervalNanos;
            while (!stopping) {
                ConsumerRecords<String, String> records = consumer.poll(POLL_TIMEOUT);
                for (ConsumerRecord<String, String> record : records) {
                    ledger.record(record);
                    uncommitted.put(new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1));
                }
                consumed.addAndGet(records.count());
                consumedSinceAssignment.addAndGet(records.count());
                boolean due = commitEveryPoll ? !records.isEmpty() : System.nanoTime() >= nextCommitNanos;
                if (due) {
                    commit(Map.copyOf(uncommitted));
                    nextCommitNanos = System.nanoTime() + commitIntervalNanos;
                }
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            try {
                consumer.close(Duration.ofSeconds(60));
            } catch (Throwable t) {
                if (failure == null) {
                    failure = t;
                }
            }
        }
    }

    /** Commits {@code offsets} synchronously; drops them from {@link #uncommitted} once committed. */
    private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                consumer.commitSync(offsets, COMMIT_TIMEOUT);
                offsets.forEach(uncommitted::remove);
                return;
            } catch (TimeoutException e) {
                if (attempt == COMMIT_ATTEMPTS) {
                    failedCommits.incrementAndGet();
                    return;
                }
            } catch (RebalanceInProgressException e) {
                commitsDuringRebalance.incrementAndGet();
                return;
            } catch (CommitFailedException e) {
                failedCommits.incrementAndGet();
                System.out.printf("[GroupMember %s] commit of %s failed: %s%n", name, offsets, e);
                return;
            }
        }
    }

    private final class Listener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> revoked = new HashMap<>();
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata offset = uncommitted.get(tp);
                if (offset != null) {
                    revoked.put(tp, offset);
                }
            }
            commit(revoked);
            partitions.forEach(uncommitted::remove);
            assignment.removeAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assignment.addAll(partitions);
            consumedSinceAssignment.set(0);
            assignments.incrementAndGet();
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            lostPartitions.addAndGet(partitions.size());
            partitions.forEach(uncommitted::remove);
            assignment.removeAll(partitions);
        }
    }

    /**
     * What a group consumed, across all its members: every (partition, offset) with the values seen
     * there and how many times it was delivered. Thread-safe.
     */
    static final class Ledger {
        private final Map<TopicPartition, Map<Long, Set<String>>> values = new ConcurrentHashMap<>();
        private final Map<TopicPartition, Map<Long, AtomicInteger>> deliveries = new ConcurrentHashMap<>();
        private final AtomicLong total = new AtomicLong();

        void record(ConsumerRecord<String, String> record) {
            TopicPartition tp = new TopicPartition(record.topic(), record.partition());
            values.computeIfAbsent(tp, k -> new ConcurrentHashMap<>())
                    .computeIfAbsent(record.offset(), k -> ConcurrentHashMap.newKeySet()).add(record.value());
            deliveries.computeIfAbsent(tp, k -> new ConcurrentHashMap<>())
                    .computeIfAbsent(record.offset(), k -> new AtomicInteger()).incrementAndGet();
            total.incrementAndGet();
        }

        /** Deliveries so far, duplicates included. */
        long total() {
            return total.get();
        }

        /** Distinct offsets consumed from {@code tp}. */
        long distinct(TopicPartition tp) {
            return values.getOrDefault(tp, Map.of()).size();
        }

        /** True if the record at {@code offset} of {@code tp} was consumed with {@code value}. */
        boolean contains(TopicPartition tp, long offset, String value) {
            return values.getOrDefault(tp, Map.of()).getOrDefault(offset, Set.of()).contains(value);
        }

        /** Offsets of {@code tp} in {@code [0, end)} never consumed, at most {@code limit} of them. */
        List<Long> missing(TopicPartition tp, long end, int limit) {
            Map<Long, Set<String>> seen = values.getOrDefault(tp, Map.of());
            return LongStream.range(0, end).filter(o -> !seen.containsKey(o))
                    .limit(limit).boxed().toList();
        }

        /** "partition@offset x copies" for every offset delivered more than once. */
        List<String> duplicates() {
            return deliveries.entrySet().stream()
                    .flatMap(tp -> tp.getValue().entrySet().stream()
                            .filter(e -> e.getValue().get() > 1)
                            .map(e -> tp.getKey() + "@" + e.getKey() + " x" + e.getValue().get()))
                    .sorted().toList();
        }

        /** Offsets consumed at or past {@code end} (there must be none once {@code end} is final). */
        List<Long> beyond(TopicPartition tp, long end) {
            return values.getOrDefault(tp, Map.of()).keySet().stream().filter(o -> o >= end).sorted().toList();
        }
    }
}
