package io.millrace.bench;

import picocli.CommandLine.Option;

/** How records are consumed: in a group or by assignment, with how many clients. */
final class ConsumerOptions {

    @Option(names = "--group", paramLabel = "ID",
            description = "Consume as members of this consumer group (subscribe; offsets auto-committed).")
    String group;

    @Option(names = "--assign", description = "Assign partitions directly, spread round-robin over the consumers "
            + "(the default when --group is absent).")
    boolean assign;

    @Option(names = "--consumers", defaultValue = "1", paramLabel = "N",
            description = "Consumer clients, each a separate KafkaConsumer on its own thread (default: ${DEFAULT-VALUE}).")
    int consumers;

    void validate() {
        if (group != null && assign) {
            throw new IllegalArgumentException("give --group or --assign, not both");
        }
        if (consumers < 1) {
            throw new IllegalArgumentException("--consumers must be at least 1, was " + consumers);
        }
    }

    boolean usesGroup() {
        return group != null;
    }
}
