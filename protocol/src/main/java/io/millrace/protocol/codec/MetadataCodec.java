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
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/** Metadata: brokers, cluster id, controller, and topics with their partitions' leaders. */
public final class MetadataCodec implements ApiCodec<MetadataCodec.Request, MetadataCodec.Response> {

    /** A topic asked for by name or (v10+) by id; either may be null. */
    public record TopicRef(String name, UUID topicId) {
    }

    /** {@code topics} is null when the client asks for every topic. */
    public record Request(List<TopicRef> topics, boolean allowAutoTopicCreation) {
    }

    public record Broker(int nodeId, String host, int port, String rack) {
    }

    public record Partition(ErrorCode error, int partitionIndex, int leaderId, int leaderEpoch,
                            List<Integer> replicas, List<Integer> isr, List<Integer> offlineReplicas) {
    }

    public record Topic(ErrorCode error, String name, UUID topicId, boolean internal, List<Partition> partitions) {
    }

    public record Response(List<Broker> brokers, String clusterId, int controllerId, List<Topic> topics) {
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.METADATA;
    }

    @Override
    public Request decodeRequest(ByteBuffer body, short version) {
        MetadataRequestData data = Codecs.parse(body, readable -> new MetadataRequestData(readable, version));
        List<TopicRef> topics = null;
        // Version 0 has no null: an empty list meant every topic.
        boolean all = data.topics() == null || (version == 0 && data.topics().isEmpty());
        if (!all) {
            topics = new ArrayList<>();
            for (MetadataRequestData.MetadataRequestTopic topic : data.topics()) {
                topics.add(new TopicRef(topic.name(), Codecs.toUuid(topic.topicId())));
            }
        }
        boolean allowAutoCreate = version < 4 || data.allowAutoTopicCreation();
        return new Request(topics, allowAutoCreate);
    }

    @Override
    public EncodedResponse encodeResponse(Response response, short version, int correlationId) {
        MetadataResponseData data = new MetadataResponseData()
                .setClusterId(response.clusterId())
                .setControllerId(response.controllerId());
        for (Broker broker : response.brokers()) {
            data.brokers().add(new MetadataResponseData.MetadataResponseBroker()
                    .setNodeId(broker.nodeId()).setHost(broker.host()).setPort(broker.port()).setRack(broker.rack()));
        }
        for (Topic topic : response.topics()) {
            MetadataResponseData.MetadataResponseTopic wire = new MetadataResponseData.MetadataResponseTopic()
                    .setErrorCode(Codecs.code(topic.error()))
                    .setName(topic.name())
                    .setTopicId(Codecs.toKafka(topic.topicId()))
                    .setIsInternal(topic.internal());
            for (Partition partition : topic.partitions()) {
                wire.partitions().add(new MetadataResponseData.MetadataResponsePartition()
                        .setErrorCode(Codecs.code(partition.error()))
                        .setPartitionIndex(partition.partitionIndex())
                        .setLeaderId(partition.leaderId())
                        .setLeaderEpoch(partition.leaderEpoch())
                        .setReplicaNodes(new ArrayList<>(partition.replicas()))
                        .setIsrNodes(new ArrayList<>(partition.isr()))
                        .setOfflineReplicas(new ArrayList<>(partition.offlineReplicas())));
            }
            data.topics().add(wire);
        }
        return ResponseWriter.encode(data, ApiKeys.METADATA, version, correlationId);
    }

    @Override
    public EncodedResponse encodeErrorResponse(Request request, short version, int correlationId, ErrorCode error) {
        List<Topic> topics = new ArrayList<>();
        if (request.topics() != null) {
            for (TopicRef ref : request.topics()) {
                topics.add(new Topic(error, ref.name(), ref.topicId(), false, List.of()));
            }
        }
        return encodeResponse(new Response(List.of(), null, -1, topics), version, correlationId);
    }
}
