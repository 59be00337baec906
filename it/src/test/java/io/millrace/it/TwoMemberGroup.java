package io.millrace.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Two members of one consumer group, each an external client process, read a topic of
 * {@link #PARTITIONS} partitions together; the test checks that they read every record exactly
 * once.
 *
 * <p>The steps are ordered so that the result does not depend on timing: the Java producer writes
 * the first half of the records (record {@code i} to partition {@code i % PARTITIONS}, so at offset
 * {@code i / PARTITIONS}); member A alone reads and commits all of them; member B joins, and once
 * both members report disjoint, non-empty assignments covering every partition, the second half is
 * written, which both members then share. The test waits until the group's committed offsets
 * reach every partition's end and stops both members with SIGTERM, on which they close their
 * consumer and leave the group. A member hands its partitions over only when it has committed
 * everything it read, so no record may be read twice: at least once becomes exactly once.
 *
 * <p>A member prints, on stdout, {@code consumed <partition> <offset> <key> <value>} for each record
 * it reads. How a member tells its assignment differs by client, so the caller passes a parser for
 * it ({@link #assignmentFromTaggedLines} for the scripts here).
 */
final class TwoMemberGroup {

    static final int PARTITIONS = 4;
    static final int COUNT = 4000;
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final Set<Integer> ALL_PARTITIONS =
            IntStream.range(0, PARTITIONS).boxed().collect(Collectors.toUnmodifiableSet());

    private TwoMemberGroup() {
    }

    /**
     * Runs the steps above on a new topic of that name and a new group; {@code assignment} reads a
     * running member's current assignment from its output.
     */
    static void consumeExactlyOnce(MillraceNode node, String topic, MemberStarter startMember,
                                   Function<Clients.Running, Set<Integer>> assignment) {
        String group = topic + "-group";
        KafkaSupport.createTopic(node, topic, PARTITIONS);
        Clients.Result resultA;
        Clients.Result resultB;
        try (KafkaProducer<String, String> producer = KafkaSupport.producer(node, Map.of());
             Clients.Running memberA = startMember.start(topic, group)) {
            produce(producer, topic, 0, COUNT / 2);
            awaitCommitted(node, group, topic, COUNT / 2, List.of(memberA), "member a alone commits the first half");
            try (Clients.Running memberB = startMember.start(topic, group)) {
                List<Clients.Running> members = List.of(memberA, memberB);
                awaitStep("both members own a share of the partitions", members, () -> {
                    Set<Integer> ownedByA = assignment.apply(memberA);
                    Set<Integer> ownedByB = assignment.apply(memberB);
                    Set<Integer> union = new HashSet<>(ownedByA);
                    union.addAll(ownedByB);
                    return !ownedByA.isEmpty() && !ownedByB.isEmpty()
                            && ownedByA.size() + ownedByB.size() == PARTITIONS && union.equals(ALL_PARTITIONS);
                });
                produce(producer, topic, COUNT / 2, COUNT);
                awaitCommitted(node, group, topic, COUNT, members, "the group commits the second half");
                resultA = memberA.stop(STOP_GRACE).assertSuccess();
                resultB = memberB.stop(STOP_GRACE).assertSuccess();
            }
        }
        assertConsumedExactlyOnce(resultA, resultB);
        assertThat(KafkaSupport.committedOffsets(node, group)).as("offsets committed by the group after both left")
                .isEqualTo(ends(topic, COUNT));
    }

    private static void assertConsumedExactlyOnce(Clients.Result resultA, Clients.Result resultB) {
        String both = resultA.describe() + "\n" + resultB.describe();
        List<List<String>> consumedA = resultA.taggedLines("consumed");
        List<List<String>> consumedB = resultB.taggedLines("consumed");
        assertThat(consumedA.size()).as("records member a read (the first half, then its share)\n%s", both)
                .isGreaterThan(COUNT / 2);
        assertThat(consumedB).as("records member b read (its share of the second half)\n%s", both).isNotEmpty();
        Map<Integer, Integer> timesRead = new HashMap<>();
        List<List<String>> consumed = new ArrayList<>(consumedA);
        consumed.addAll(consumedB);
        for (List<String> fields : consumed) {
            int partition = Integer.parseInt(fields.get(0));
            long offset = Long.parseLong(fields.get(1));
            int i = Math.toIntExact(offset * PARTITIONS + partition);
            assertThat(fields).as("record read from partition %d at offset %d\n%s", partition, offset, both)
                    .containsExactly(Integer.toString(partition), Long.toString(offset),
                            ClientRoundTrip.key(i), ClientRoundTrip.value(i));
            timesRead.merge(i, 1, Integer::sum);
        }
        Map<Integer, Integer> readMoreThanOnce = timesRead.entrySet().stream().filter(e -> e.getValue() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(readMoreThanOnce).as("records read more than once (record -> times)\n%s", both).isEmpty();
        assertThat(timesRead.keySet()).as("records read by the two members together\n%s", both)
                .hasSize(COUNT).allMatch(i -> i >= 0 && i < COUNT);
    }

    /** Starts one group member process that reads {@code topic} in {@code group} until SIGTERM. */
    @FunctionalInterface
    interface MemberStarter {
        Clients.Running start(String topic, String group);
    }

    /** Writes records {@code from} to {@code to - 1} and checks that each lands at its offset. */
    private static void produce(KafkaProducer<String, String> producer, String topic, int from, int to) {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (int i = from; i < to; i++) {
            sends.add(producer.send(new ProducerRecord<>(topic, i % PARTITIONS, ClientRoundTrip.key(i),
                    ClientRoundTrip.value(i))));
        }
        producer.flush();
        for (int i = from; i < to; i++) {
            RecordMetadata metadata = KafkaSupport.get(sends.get(i - from));
            assertThat(metadata.offset()).as("offset of record %d", i).isEqualTo(i / PARTITIONS);
        }
    }

    /** Waits until {@code group} has committed the end of every partition after {@code produced} records. */
    private static void awaitCommitted(MillraceNode node, String group, String topic, int produced,
                                       List<Clients.Running> members, String step) {
        Map<TopicPartition, Long> ends = ends(topic, produced);
        awaitStep(step, members, () -> {
            try {
                return ends.equals(KafkaSupport.committedOffsets(node, group));
            } catch (AssertionError e) {
                // The coordinator may answer with a retriable error while the group forms; ask again.
                return false;
            }
        });
    }

    private static Map<TopicPartition, Long> ends(String topic, int produced) {
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            ends.put(new TopicPartition(topic, p), (long) (produced / PARTITIONS));
        }
        return ends;
    }

    private static void awaitStep(String step, List<Clients.Running> members, Supplier<Boolean> condition) {
        long startNanos = System.nanoTime();
        try {
            await(step).atMost(STEP_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
                for (Clients.Running member : members) {
                    if (!member.isAlive()) {
                        throw new AssertionError(step + ": a member exited\n" + member.describeSoFar());
                    }
                }
                return condition.get();
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("not done within " + STEP_TIMEOUT + ": " + step + "\n" + members.stream()
                    .map(Clients.Running::describeSoFar).collect(Collectors.joining("\n")), e);
        }
        System.out.printf("[TwoMemberGroup] %s: %d ms%n", step, (System.nanoTime() - startNanos) / 1_000_000);
    }

    /**
     * The partitions a script member owns now: the last of its {@code assigned <partitions>} and
     * {@code revoked <partitions>} lines (comma-separated partition numbers) decides; none after a
     * revocation.
     */
    static Set<Integer> assignmentFromTaggedLines(Clients.Running member) {
        Set<Integer> owned = new HashSet<>();
        for (String line : member.stdoutSoFar().lines().toList()) {
            String[] fields = line.split("\t", -1);
            if (fields[0].equals("assigned")) {
                owned = parsePartitions(fields[1]);
            } else if (fields[0].equals("revoked")) {
                owned = Set.of();
            }
        }
        return owned;
    }

    static Set<Integer> parsePartitions(String commaSeparated) {
        return commaSeparated.isBlank() ? Set.of() : Arrays.stream(commaSeparated.split(","))
                .map(String::trim).map(Integer::parseInt).collect(Collectors.toSet());
    }
}
