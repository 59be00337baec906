package io.millrace.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.protocol.ErrorCode;
import java.util.List;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeClusterResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DescribeClusterCodecTest {

    private final DescribeClusterCodec codec = new DescribeClusterCodec();

    @ParameterizedTest
    @ValueSource(shorts = {0, 2})
    void roundTripsWithKafkaClients(short version) {
        DescribeClusterRequestData data = new DescribeClusterRequestData()
                .setIncludeFencedBrokers(version >= 2);

        DescribeClusterCodec.Request request = codec.decodeRequest(CodecTestSupport.requestBody(data, version), version);

        assertThat(request.endpointType()).isEqualTo(DescribeClusterCodec.ENDPOINT_TYPE_BROKER);
        assertThat(request.includeFencedBrokers()).isEqualTo(version >= 2);

        DescribeClusterCodec.Response response = new DescribeClusterCodec.Response(ErrorCode.NONE, null,
                DescribeClusterCodec.ENDPOINT_TYPE_BROKER, "cluster-1", 1, List.of(
                        new DescribeClusterCodec.Broker(1, "h1", 9092, null, false),
                        new DescribeClusterCodec.Broker(2, "h2", 9093, "r2", version >= 2)));
        DescribeClusterResponse parsed = CodecTestSupport.parseResponse(codec.encodeResponse(response, version, 13),
                ApiKeys.DESCRIBE_CLUSTER, version, 13);

        assertThat(parsed.data().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(parsed.data().clusterId()).isEqualTo("cluster-1");
        assertThat(parsed.data().controllerId()).isEqualTo(1);
        assertThat(parsed.data().brokers().find(2).rack()).isEqualTo("r2");
        assertThat(parsed.data().brokers().find(2).isFenced()).isEqualTo(version >= 2);
        assertThat(parsed.data().brokers().find(1).port()).isEqualTo(9092);
    }
}
