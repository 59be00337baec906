package io.millrace.protocol.codec;

import io.millrace.protocol.ApiCodec;
import io.millrace.protocol.ApiKey;
import io.millrace.protocol.EncodedResponse;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.wire.ResponseWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * DescribeTopicPartitions: topics with their partitions, paged. The response holds at most
 * {@code responsePartitionLimit} partitions; a client resumes from {@code nextCursor}.
 */
public final class DescribeTopicPartitionsCodec
        implements ApiCodec<DescribeTopicPartitionsCodec.Request, DescribeTopicPartitionsCodec.Response> {

    /** Kafka's value of {@code topicAuthorizedOperations} when they were not asked for. */
    private static final int AUTHORIZED_OPERATIONS_OMITTED = Integer.MIN_VALUE;

    public record Cursor(String topicName, int partitionIndex) {
    }

    /** {@code topics} empty means every topic; {@code cursor} is null for the first page. */
    public record Request(List<String> topics, int responsePartitionLimit, Cursor cursor) {
    }

    /** {@code eligibleLeaderReplicas} and {@code lastKnownElr} may be null. */
    public record Partition(ErrorCode error, int partitionIndex, int leaderId, int leaderEpoch,
                            List<Integer> replicas, List<Integer> isr, List<Integer> eligibleLeaderReplicas,
                            List<Integer> lastKnownElr, List<Integer> offlineReplicas) {
    }

    public record Topic(ErrorCode error, String name, UUID topicId, boolean internal, List<Partition> partitions) {
    }

    /** {@code nextCursor} is null when nothing is left. */
    public record Response(List<Topic> topics, Cursor nextCursor) {
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.DESCRIBE_TOPIC_PARTITIONS;
    }

    @Override
    public Request decodeRequest(ByteBuffer body, short version) {
        DescribeTopicPartitionsRequestData data =
                Codecs.parse(body, readable -> new DescribeTopicPartitionsRequestData(readable, version));
        List<String> topics = data.topics().stream().map(DescribeTopicPartitionsRequestData.TopicRequest::name).toList();
        Cursor cursor = data.cursor() == null ? null
                : new Cursor(data.cursor().topicName(), data.cursor().partitionIndex());
        return new Request(topics, data.responsePartitionLimit(), cursor);
    }

    @Override
    public EncodedResponse encodeResponse(Response response, short version, int correlationId) {
        DescribeTopicPartitionsResponseData data = new DescribeTopicPartitionsResponseData();
        for (Topic topic : response.topics()) {
            DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic wire =
                    new DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic()
                            .setErrorCode(Codecs.code(topic.error()))
                            .setName(topic.name())
                            .setTopicId(Codecs.toKafka(topic.topicId()))
                            .setIsInternal(topic.internal())
                            .setTopicAuthorizedOperations(AUTHORIZED_OPERATIONS_OMITTED);
            List<DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponsePartition> partitions =
                    new ArrayList<>(topic.partitions().size());
            for (Partition p : topic.partitions()) {
                partitions.add(new DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponsePartition()
                        .setErrorCode(Codecs.code(p.error()))
                        .setPartitionIndex(p.partitionIndex())
                        .setLeaderId(p.leaderId())
                        .setLeaderEpoch(p.leaderEpoch())
                        .setReplicaNodes(p.replicas())
                        .setIsrNodes(p.isr())
                        .setEligibleLeaderReplicas(p.eligibleLeaderReplicas())
                        .setLastKnownElr(p.lastKnownElr())
                        .setOfflineReplicas(p.offlineReplicas()));
            }
            wire.setPartitions(partitions);
            data.topics().add(wire);
        }
        if (response.nextCursor() != null) {
            data.setNextCursor(new DescribeTopicPartitionsResponseData.Cursor()
                    .setTopicName(response.nextCursor().topicName())
                    .setPartitionIndex(response.nextCursor().partitionIndex()));
        }
        return ResponseWriter.encode(data, ApiKeys.DESCRIBE_TOPIC_PARTITIONS, version, correlationId);
    }

    @Override
    public EncodedResponse encodeErrorResponse(Request request, short version, int correlationId, ErrorCode error) {
        List<Topic> topics = request.topics().stream()
                .map(name -> new Topic(error, name, null, false, List.of())).toList();
        return encodeResponse(new Response(topics, null), version, correlationId);
    }
}
