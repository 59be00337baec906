package io.millrace.protocol.codec;

import io.millrace.protocol.ApiCodec;
import io.millrace.protocol.ApiKey;
import io.millrace.protocol.EncodedResponse;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.wire.ResponseWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * DescribeLogDirs: this broker's log directories with the size of every partition in them; from
 * version 4 also the directories' total and usable bytes.
 */
public final class DescribeLogDirsCodec
        implements ApiCodec<DescribeLogDirsCodec.Request, DescribeLogDirsCodec.Response> {

    public record TopicRequest(String name, List<Integer> partitions) {
    }

    /** {@code topics} is null for every partition. */
    public record Request(List<TopicRequest> topics) {
    }

    public record PartitionResult(int partition, long sizeBytes, long offsetLag, boolean isFutureKey) {
    }

    public record TopicResult(String name, List<PartitionResult> partitions) {
    }

    /** {@code totalBytes} and {@code usableBytes} are -1 when unknown. */
    public record LogDir(ErrorCode error, String path, List<TopicResult> topics, long totalBytes, long usableBytes) {
    }

    /** {@code error} is the top-level error; versions before 3 cannot carry it and drop it. */
    public record Response(ErrorCode error, List<LogDir> logDirs) {
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.DESCRIBE_LOG_DIRS;
    }

    @Override
    public Request decodeRequest(ByteBuffer body, short version) {
        DescribeLogDirsRequestData data =
                Codecs.parse(body, readable -> new DescribeLogDirsRequestData(readable, version));
        if (data.topics() == null) {
            return new Request(null);
        }
        List<TopicRequest> topics = new ArrayList<>(data.topics().size());
        for (DescribeLogDirsRequestData.DescribableLogDirTopic topic : data.topics()) {
            topics.add(new TopicRequest(topic.topic(), List.copyOf(topic.partitions())));
        }
        return new Request(topics);
    }

    @Override
    public EncodedResponse encodeResponse(Response response, short version, int correlationId) {
        DescribeLogDirsResponseData data = new DescribeLogDirsResponseData();
        if (version >= 3) {
            data.setErrorCode(Codecs.code(response.error()));
        }
        for (LogDir dir : response.logDirs()) {
            DescribeLogDirsResponseData.DescribeLogDirsResult wire = new DescribeLogDirsResponseData.DescribeLogDirsResult()
                    .setErrorCode(Codecs.code(dir.error()))
                    .setLogDir(dir.path())
                    .setTotalBytes(dir.totalBytes())
                    .setUsableBytes(dir.usableBytes());
            for (TopicResult topic : dir.topics()) {
                DescribeLogDirsResponseData.DescribeLogDirsTopic wireTopic =
                        new DescribeLogDirsResponseData.DescribeLogDirsTopic().setName(topic.name());
                for (PartitionResult p : topic.partitions()) {
                    wireTopic.partitions().add(new DescribeLogDirsResponseData.DescribeLogDirsPartition()
                            .setPartitionIndex(p.partition())
                            .setPartitionSize(p.sizeBytes())
                            .setOffsetLag(p.offsetLag())
                            .setIsFutureKey(p.isFutureKey()));
                }
                wire.topics().add(wireTopic);
            }
            data.results().add(wire);
        }
        return ResponseWriter.encode(data, ApiKeys.DESCRIBE_LOG_DIRS, version, correlationId);
    }

    @Override
    public EncodedResponse encodeErrorResponse(Request request, short version, int correlationId, ErrorCode error) {
        // Before version 3 the response has no top-level error; an empty result is what Kafka sends.
        return encodeResponse(new Response(error, List.of()), version, correlationId);
    }
}
