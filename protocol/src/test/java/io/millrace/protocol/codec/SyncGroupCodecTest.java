package io.millrace.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.protocol.ApiKey;
import io.millrace.protocol.ErrorCode;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.SyncGroupResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SyncGroupCodecTest {

    private final SyncGroupCodec codec = new SyncGroupCodec();

    static Stream<Short> versions() {
        return IntStream.rangeClosed(ApiKey.SYNC_GROUP.oldestVersion(), ApiKey.SYNC_GROUP.latestVersion())
                .mapToObj(v -> (short) v);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void decodesRequest(short version) {
        SyncGroupRequestData data = new SyncGroupRequestData()
                .setGroupId("payments")
                .setGenerationId(3)
                .setMemberId("m-1")
                .setProtocolType("consumer")
                .setProtocolName("range")
                .setAssignments(List.of(
                        new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId("m-1").setAssignment(new byte[] {1, 2}),
                        new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId("m-2").setAssignment(new byte[0])));
        if (version >= 3) {
            data.setGroupInstanceId("instance-1");
        }

        SyncGroupCodec.Request request = codec.decodeRequest(CodecTestSupport.requestBody(data, version), version);

        assertThat(request.groupId()).isEqualTo("payments");
        assertThat(request.generationId()).isEqualTo(3);
        assertThat(request.memberId()).isEqualTo("m-1");
        assertThat(request.groupInstanceId()).isEqualTo(version >= 3 ? "instance-1" : null);
        assertThat(request.protocolType()).isEqualTo(version >= 5 ? "consumer" : null);
        assertThat(request.protocolName()).isEqualTo(version >= 5 ? "range" : null);
        assertThat(request.assignments()).extracting(SyncGroupCodec.Assignment::memberId).containsExactly("m-1", "m-2");
        assertThat(request.assignments().get(0).assignment()).containsExactly(1, 2);
        assertThat(request.assignments().get(1).assignment()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("versions")
    void decodesFollowerRequestWithoutAssignments(short version) {
        SyncGroupRequestData data = new SyncGroupRequestData().setGroupId("g").setGenerationId(1).setMemberId("m-2");

        SyncGroupCodec.Request request = codec.decodeRequest(CodecTestSupport.requestBody(data, version), version);

        assertThat(request.groupInstanceId()).isNull();
        assertThat(request.protocolType()).isNull();
        assertThat(request.protocolName()).isNull();
        assertThat(request.assignments()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesResponse(short version) {
        SyncGroupCodec.Response response = new SyncGroupCodec.Response(ErrorCode.NONE, "consumer", "range", new byte[] {9, 8});

        SyncGroupResponseData data = CodecTestSupport.<SyncGroupResponse>parseResponse(
                codec.encodeResponse(response, version, 21), ApiKeys.SYNC_GROUP, version, 21).data();

        assertThat(data.throttleTimeMs()).isZero();
        assertThat(data.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(data.protocolType()).isEqualTo(version >= 5 ? "consumer" : null);
        assertThat(data.protocolName()).isEqualTo(version >= 5 ? "range" : null);
        assertThat(data.assignment()).containsExactly(9, 8);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesErrorResponse(short version) {
        SyncGroupCodec.Request request = new SyncGroupCodec.Request("g", 1, "m-1", null, null, null, List.of());

        SyncGroupResponseData data = CodecTestSupport.<SyncGroupResponse>parseResponse(
                codec.encodeErrorResponse(request, version, 22, ErrorCode.REBALANCE_IN_PROGRESS),
                ApiKeys.SYNC_GROUP, version, 22).data();

        assertThat(data.errorCode()).isEqualTo(Errors.REBALANCE_IN_PROGRESS.code());
        assertThat(data.protocolType()).isNull();
        assertThat(data.protocolName()).isNull();
        assertThat(data.assignment()).isEmpty();
    }
}
