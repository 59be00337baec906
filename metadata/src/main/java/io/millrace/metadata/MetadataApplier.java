package io.millrace.metadata;

import io.millrace.metadata.MetadataCommand.AllocateProducerIds;
import io.millrace.metadata.MetadataCommand.AlterTopicConfigs;
import io.millrace.metadata.MetadataCommand.CreatePartitions;
import io.millrace.metadata.MetadataCommand.CreateTopics;
import io.millrace.metadata.MetadataCommand.DeleteTopics;
import io.millrace.metadata.MetadataCommand.InitializeCluster;
import io.millrace.metadata.MetadataCommand.RegisterBroker;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.MillraceException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The pure function at the heart of the state machine: (image, command) to (new image, reply).
 * It is deterministic (no clock, no randomness, no I/O), so every node that applies the same log
 * reaches the same image, and it turns every validation failure into a reply. The state machine
 * also runs it on a validate-only request to answer without changing anything.
 *
 * <p>Thread-safety: stateless.
 */
final class MetadataApplier {
    /** The image after a command and what the command answers. */
    record Outcome(MetadataImage image, CommandReply reply) {
    }

    private MetadataApplier() {
    }

    static Outcome apply(MetadataImage image, MetadataCommand command) {
        if (command instanceof InitializeCluster c) {
            MetadataImage next = image.clusterId() == null ? image.withClusterId(c.clusterId()) : image;
            return new Outcome(next, new CommandReply.Error(ErrorResult.NONE));
        } else if (command instanceof RegisterBroker c) {
            return new Outcome(image.withBroker(c.broker()), new CommandReply.Error(ErrorResult.NONE));
        } else if (command instanceof CreateTopics c) {
            return TopicCreator.createTopics(image, c);
        } else if (command instanceof DeleteTopics c) {
            return deleteTopics(image, c);
        } else if (command instanceof CreatePartitions c) {
            return TopicCreator.createPartitions(image, c);
        } else if (command instanceof AlterTopicConfigs c) {
            return alterTopicConfigs(image, c);
        } else if (command instanceof AllocateProducerIds c) {
            return allocateProducerIds(image, c);
        }
        throw new IllegalArgumentException("no handler for " + command);
    }

    private static Outcome deleteTopics(MetadataImage image, DeleteTopics command) {
        List<TopicResult> results = new ArrayList<>();
        MetadataImage current = image;
        for (String name : command.names()) {
            TopicInfo topic = current.topic(name).orElse(null);
            if (topic == null) {
                results.add(new TopicResult(name, null, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, null));
            } else {
                current = current.withoutTopic(name);
                results.add(new TopicResult(name, topic.id(), ErrorCode.NONE, null));
            }
        }
        for (UUID id : command.ids()) {
            TopicInfo topic = current.topic(id).orElse(null);
            if (topic == null) {
                results.add(new TopicResult(null, id, ErrorCode.UNKNOWN_TOPIC_ID, null));
            } else {
                current = current.withoutTopic(topic.name());
                results.add(new TopicResult(topic.name(), id, ErrorCode.NONE, null));
            }
        }
        return new Outcome(current, new CommandReply.Topics(results));
    }

    private static Outcome alterTopicConfigs(MetadataImage image, AlterTopicConfigs command) {
        TopicInfo topic = image.topic(command.topic()).orElse(null);
        if (topic == null) {
            return new Outcome(image, new CommandReply.Error(new ErrorResult(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
                    "The topic '" + command.topic() + "' does not exist.")));
        }
        try {
            TopicConfigs.validate(command.set());
            Map<String, String> configs;
            if (command.replaceAll()) {
                configs = command.set();
            } else {
                TopicConfigs.validateNames(command.delete());
                configs = new HashMap<>(topic.configs());
                configs.putAll(command.set());
                command.delete().forEach(configs::remove);
            }
            return new Outcome(image.withTopic(topic.withConfigs(configs)), new CommandReply.Error(ErrorResult.NONE));
        } catch (MillraceException e) {
            return new Outcome(image, new CommandReply.Error(new ErrorResult(e.code(), e.getMessage())));
        }
    }

    private static Outcome allocateProducerIds(MetadataImage image, AllocateProducerIds command) {
        long first = image.nextProducerId();
        if (first > Long.MAX_VALUE - ProducerIdBlock.BLOCK_SIZE) {
            return new Outcome(image, new CommandReply.Error(new ErrorResult(ErrorCode.UNKNOWN_SERVER_ERROR,
                    "Exhausted all producerIds as the next block's end producerId is will exceed long type limit")));
        }
        ProducerIdBlock block = new ProducerIdBlock(first, ProducerIdBlock.BLOCK_SIZE);
        return new Outcome(image.withNextProducerId(block.nextBlockFirstId()), new CommandReply.ProducerIds(block));
    }
}
