package io.millrace.bench.jmh;

import io.millrace.protocol.Time;
import io.millrace.protocol.codec.ProduceCodec;
import io.millrace.protocol.wire.RequestHeaders;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a request thread does with a Produce frame before the handler sees it: parse the request
 * header, then decode the body into {@link ProduceCodec.Request}. One topic, one partition, one
 * uncompressed 16 KiB batch; v11 names the topic, v13 gives its id. The batch must come out as a
 * slice of the frame, so the cost must not grow with the batch size.
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ProduceDecodeBenchmark {
    private static final int BATCH_BYTES = 16 * 1024;

    @Param({"11", "13"})
    public short version;

    private final ProduceCodec codec = new ProduceCodec();
    private ByteBuffer frame;

    @Setup
    public void setup() {
        ByteBuffer batch = Requests.batch(BATCH_BYTES, Integer.MAX_VALUE, 100, Time.SYSTEM.milliseconds());
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData()
                .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData()
                        .setIndex(0)
                        .setRecords(MemoryRecords.readableRecords(batch))));
        if (version >= 13) {
            topic.setTopicId(Uuid.randomUuid());
        } else {
            topic.setName("bench-topic");
        }
        ProduceRequestData data = new ProduceRequestData()
                .setAcks((short) -1)
                .setTimeoutMs(30_000);
        data.topicData().add(topic);
        frame = Requests.frame(ApiKeys.PRODUCE, version, data);
        ProduceCodec.Request decoded = decode();
        int bytes = decoded.topics().get(0).partitions().get(0).records().remaining();
        if (bytes != batch.remaining()) {
            throw new IllegalStateException("decoded batch of " + bytes + " bytes, sent " + batch.remaining());
        }
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public ProduceCodec.Request decode() {
        RequestHeaders.Decoded decoded = RequestHeaders.parse(frame.duplicate());
        return codec.decodeRequest(decoded.body(), decoded.header().apiVersion());
    }
}
