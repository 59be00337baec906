package io.millrace.bench.jmh;

import io.millrace.protocol.codec.FetchCodec;
import io.millrace.protocol.wire.RequestHeaders;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
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
 * Header parse plus {@link FetchCodec#decodeRequest} of a consumer's full (sessionless) Fetch: one
 * topic with {@code partitions} partitions. v12 names the topic, v18 (kafka-clients 4.3.1's
 * newest) gives its id.
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FetchDecodeBenchmark {

    @Param({"12", "18"})
    public short version;

    @Param({"1", "100"})
    public int partitions;

    private final FetchCodec codec = new FetchCodec();
    private ByteBuffer frame;

    @Setup
    public void setup() {
        FetchRequestData.FetchTopic topic = new FetchRequestData.FetchTopic();
        if (version >= 13) {
            topic.setTopicId(Uuid.randomUuid());
        } else {
            topic.setTopic("bench-topic");
        }
        for (int p = 0; p < partitions; p++) {
            topic.partitions().add(new FetchRequestData.FetchPartition()
                    .setPartition(p)
                    .setCurrentLeaderEpoch(0)
                    .setFetchOffset(1_000_000L + p)
                    .setLogStartOffset(-1)
                    .setPartitionMaxBytes(1024 * 1024));
        }
        FetchRequestData data = new FetchRequestData()
                .setMaxWaitMs(500)
                .setMinBytes(1)
                .setMaxBytes(50 * 1024 * 1024)
                .setIsolationLevel((byte) 0)
                .setSessionId(0)
                .setSessionEpoch(-1)
                .setRackId("");
        data.topics().add(topic);
        frame = Requests.frame(ApiKeys.FETCH, version, data);
        int decoded = decode().topics().get(0).partitions().size();
        if (decoded != partitions) {
            throw new IllegalStateException("decoded " + decoded + " partitions, sent " + partitions);
        }
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public FetchCodec.Request decode() {
        RequestHeaders.Decoded decoded = RequestHeaders.parse(frame.duplicate());
        return codec.decodeRequest(decoded.body(), decoded.header().apiVersion());
    }
}
