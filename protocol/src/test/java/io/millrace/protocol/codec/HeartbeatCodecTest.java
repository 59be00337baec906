package io.millrace.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.protocol.ApiKey;
import io.millrace.protocol.ErrorCode;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.HeartbeatResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HeartbeatCodecTest {

    private final HeartbeatCodec codec = new HeartbeatCodec();

    static Stream<Short> versions() {
        return IntStream.rangeClosed(ApiKey.HEARTBEAT.oldestVersion(), ApiKey.HEARTBEAT.latestVersion())
                .mapToObj(v -> (short) v);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void decodesRequest(short version) {
        HeartbeatRequestData data = new HeartbeatRequestData().setGroupId("payments").setGenerationId(4).setMemberId("m-1");
        if (version >= 3) {
            data.setGroupInstanceId("instance-1");
        }

        HeartbeatCodec.Request request = codec.decodeRequest(CodecTestSupport.requestBody(data, version), version);

        assertThat(request).isEqualTo(new HeartbeatCodec.Request("payments", 4, "m-1", version >= 3 ? "instance-1" : null));
    }

    @ParameterizedTest
    @MethodSource("versions")
    void decodesRequestWithoutInstanceId(short version) {
        HeartbeatRequestData data = new HeartbeatRequestData().setGroupId("g").setGenerationId(1).setMemberId("m-1");

        assertThat(codec.decodeRequest(CodecTestSupport.requestBody(data, version), version).groupInstanceId()).isNull();
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesResponse(short version) {
        HeartbeatResponse parsed = CodecTestSupport.parseResponse(
                codec.encodeResponse(new HeartbeatCodec.Response(ErrorCode.REBALANCE_IN_PROGRESS), version, 31),
                ApiKeys.HEARTBEAT, version, 31);

        assertThat(parsed.data().errorCode()).isEqualTo(Errors.REBALANCE_IN_PROGRESS.code());
        assertThat(parsed.data().throttleTimeMs()).isZero();
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesErrorResponse(short version) {
        HeartbeatResponse parsed = CodecTestSupport.parseResponse(
                codec.encodeErrorResponse(new HeartbeatCodec.Request("g", 1, "m-1", null), version, 32,
                        ErrorCode.NOT_COORDINATOR),
                ApiKeys.HEARTBEAT, version, 32);

        assertThat(parsed.data().errorCode()).isEqualTo(Errors.NOT_COORDINATOR.code());
    }
}
