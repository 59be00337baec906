package io.millrace.broker.handler.admin;

import io.millrace.broker.BrokerServices;
import io.millrace.broker.network.ApiHandler;
import io.millrace.broker.network.RequestContext;
import io.millrace.metadata.BrokerInfo;
import io.millrace.metadata.MetadataImage;
import io.millrace.metadata.MetadataService;
import io.millrace.metadata.PartitionInfo;
import io.millrace.metadata.TopicInfo;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.MillraceException;
import io.millrace.protocol.codec.DescribeTopicPartitionsCodec;
import io.millrace.protocol.codec.DescribeTopicPartitionsCodec.Cursor;
import io.millrace.protocol.codec.DescribeTopicPartitionsCodec.Partition;
import io.millrace.protocol.codec.DescribeTopicPartitionsCodec.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * DescribeTopicPartitions, paged as Kafka pages it. Topics are answered in name order, starting at
 * the cursor's topic and partition; the response holds at most the client's partition limit,
 * capped at {@link #MAX_PARTITIONS_PER_RESPONSE} (Kafka's {@code max.request.partition.size.limit}
 * default). When a topic is cut short, or the limit is used up before the next topic, the response
 * carries the cursor to resume from. Asking for every topic (an empty list) leaves out topics that
 * cannot be described; naming an unknown topic reports it with UNKNOWN_TOPIC_OR_PARTITION.
 */
public final class DescribeTopicPartitionsHandler
        implements ApiHandler<DescribeTopicPartitionsCodec.Request, DescribeTopicPartitionsCodec.Response> {

    static final int MAX_PARTITIONS_PER_RESPONSE = 2000;
    private static final int MAX_TOPIC_NAME_LENGTH = 249;
    private static final Pattern LEGAL_TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]+");

    private final DescribeTopicPartitionsCodec codec = new DescribeTopicPartitionsCodec();
    private final MetadataService metadata;

    public DescribeTopicPartitionsHandler(BrokerServices services) {
        this.metadata = services.metadata();
    }

    @Override
    public DescribeTopicPartitionsCodec codec() {
        return codec;
    }

    @Override
    public CompletionStage<DescribeTopicPartitionsCodec.Response> handle(
            RequestContext context, DescribeTopicPartitionsCodec.Request request) {
        MetadataImage image = metadata.image();
        boolean allTopics = request.topics().isEmpty();
        Cursor cursor = request.cursor();
        if (cursor != null) {
            if (cursor.partitionIndex() < 0) {
                return invalid("The partition index in the cursor must be non-negative: " + cursor.partitionIndex());
            }
            if (!allTopics && !request.topics().contains(cursor.topicName())) {
                return invalid("DescribeTopicPartitionsRequest topic list should contain the cursor topic: "
                        + cursor.topicName());
            }
        }
        TreeSet<String> names = new TreeSet<>(allTopics ? image.topicsByName().keySet() : request.topics());
        if (cursor != null) {
            names = new TreeSet<>(names.tailSet(cursor.topicName(), true));
        }
        int limit = Math.max(Math.min(MAX_PARTITIONS_PER_RESPONSE, request.responsePartitionLimit()), 1);
        return CompletableFuture.completedFuture(page(image, names, cursor, limit, allTopics));
    }

    private static DescribeTopicPartitionsCodec.Response page(MetadataImage image, TreeSet<String> names,
                                                              Cursor cursor, int limit, boolean allTopics) {
        List<Topic> topics = new ArrayList<>();
        int remaining = limit;
        for (String name : names) {
            if (remaining == 0) {
                return new DescribeTopicPartitionsCodec.Response(topics, new Cursor(name, 0));
            }
            Optional<TopicInfo> topic = image.topic(name);
            if (topic.isEmpty()) {
                if (!allTopics) {
                    topics.add(new Topic(errorForMissing(name), name, null, name.startsWith("__"), List.of()));
                }
                continue;
            }
            int start = cursor != null && name.equals(cursor.topicName()) ? cursor.partitionIndex() : 0;
            List<PartitionInfo> all = topic.get().partitions();
            int from = Math.min(start, all.size());
            int end = Math.min(all.size(), from + remaining);
            List<Partition> partitions = new ArrayList<>(end - from);
            for (PartitionInfo info : all.subList(from, end)) {
                partitions.add(describe(image, info));
            }
            topics.add(new Topic(ErrorCode.NONE, name, topic.get().id(), topic.get().isInternal(), partitions));
            remaining -= partitions.size();
            if (end < all.size()) {
                return new DescribeTopicPartitionsCodec.Response(topics, new Cursor(name, end));
            }
        }
        return new DescribeTopicPartitionsCodec.Response(topics, null);
    }

    private static Partition describe(MetadataImage image, PartitionInfo info) {
        List<Integer> offline = info.replicas().stream().filter(id -> !isLive(image, id)).toList();
        boolean leaderLive = info.leader() >= 0 && isLive(image, info.leader());
        return new Partition(leaderLive ? ErrorCode.NONE : ErrorCode.LEADER_NOT_AVAILABLE, info.partition(),
                leaderLive ? info.leader() : PartitionInfo.NO_LEADER, info.leaderEpoch(), info.replicas(), info.isr(),
                List.of(), List.of(), offline);
    }

    private static boolean isLive(MetadataImage image, int brokerId) {
        BrokerInfo broker = image.brokers().get(brokerId);
        return broker != null && !broker.fenced();
    }

    private static ErrorCode errorForMissing(String name) {
        boolean legal = !name.isEmpty() && !name.equals(".") && !name.equals("..")
                && name.length() <= MAX_TOPIC_NAME_LENGTH && LEGAL_TOPIC_NAME.matcher(name).matches();
        return legal ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.INVALID_TOPIC_EXCEPTION;
    }

    private static CompletionStage<DescribeTopicPartitionsCodec.Response> invalid(String message) {
        return CompletableFuture.failedFuture(new MillraceException(ErrorCode.INVALID_REQUEST, message));
    }
}
