package io.millrace.bench;

import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Creates the benchmark topic when it is missing and waits until every partition has a leader. */
final class Topics {

    private static final long TIMEOUT_MS = 30_000;

    private Topics() {
    }

    /** @return the topic's partition count (the existing one if the topic was already there) */
    static int ensure(Admin admin, String topic, int partitions, short replicationFactor, PrintWriter out)
            throws InterruptedException, ExecutionException, TimeoutException {
        TopicDescription existing = describe(admin, topic);
        if (existing == null) {
            try {
                admin.createTopics(List.of(new NewTopic(topic, partitions, replicationFactor)))
                        .all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                out.printf("Created topic %s with %d partitions, replication factor %d%n", topic, partitions,
                        replicationFactor);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        } else if (existing.partitions().size() != partitions) {
            out.printf("Topic %s exists with %d partitions; using them (--partitions %d applies only to creation)%n",
                    topic, existing.partitions().size(), partitions);
        }
        return awaitLeaders(admin, topic);
    }

    private static int awaitLeaders(Admin admin, String topic)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (true) {
            TopicDescription description = describe(admin, topic);
            if (description != null && description.partitions().stream().allMatch(p -> p.leader() != null)) {
                return description.partitions().size();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("topic " + topic + " has no leader for every partition after "
                        + TIMEOUT_MS + " ms: " + description);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    private static TopicDescription describe(Admin admin, String topic)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            return admin.describeTopics(Set.of(topic)).allTopicNames().get(TIMEOUT_MS, TimeUnit.MILLISECONDS).get(topic);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return null;
            }
            throw e;
        }
    }
}
