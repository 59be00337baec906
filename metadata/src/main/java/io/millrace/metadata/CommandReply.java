package io.millrace.metadata;

import java.util.List;

/** What applying a {@link MetadataCommand} answers; immutable. */
sealed interface CommandReply {
    /** The answer to CreateTopics. */
    record Created(List<CreateTopicResult> results) implements CommandReply {
        public Created {
            results = List.copyOf(results);
        }
    }

    /** The answer to DeleteTopics and CreatePartitions. */
    record Topics(List<TopicResult> results) implements CommandReply {
        public Topics {
            results = List.copyOf(results);
        }
    }

    /** The answer to commands with a single outcome. */
    record Error(ErrorResult result) implements CommandReply {
    }

    /** The answer to AllocateProducerIds. */
    record ProducerIds(ProducerIdBlock block) implements CommandReply {
    }
}
