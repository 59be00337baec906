package io.millrace.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.protocol.ApiKey;
import io.millrace.protocol.ErrorCode;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.LeaveGroupResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LeaveGroupCodecTest {

    private final LeaveGroupCodec codec = new LeaveGroupCodec();

    static Stream<Short> versions() {
        return IntStream.rangeClosed(ApiKey.LEAVE_GROUP.oldestVersion(), ApiKey.LEAVE_GROUP.latestVersion())
                .mapToObj(v -> (short) v);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void decodesRequest(short version) {
        LeaveGroupRequestData data = new LeaveGroupRequestData().setGroupId("payments");
        if (version >= 3) {
            data.setMembers(List.of(
                    new LeaveGroupRequestData.MemberIdentity().setMemberId("m-1").setGroupInstanceId("instance-1")
                            .setReason("shutting down"),
                    new LeaveGroupRequestData.MemberIdentity().setMemberId("m-2")));
        } else {
            data.setMemberId("m-1");
        }

        LeaveGroupCodec.Request request = codec.decodeRequest(CodecTestSupport.requestBody(data, version), version);

        assertThat(request.groupId()).isEqualTo("payments");
        if (version >= 3) {
            assertThat(request.members()).containsExactly(
                    new LeaveGroupCodec.Member("m-1", "instance-1", version >= 5 ? "shutting down" : null),
                    new LeaveGroupCodec.Member("m-2", null, null));
        } else {
            assertThat(request.members()).containsExactly(new LeaveGroupCodec.Member("m-1", null, null));
        }
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesResponse(short version) {
        LeaveGroupCodec.Response response = new LeaveGroupCodec.Response(ErrorCode.NONE, List.of(
                new LeaveGroupCodec.MemberResult("m-1", "instance-1", ErrorCode.NONE),
                new LeaveGroupCodec.MemberResult("m-2", null, ErrorCode.UNKNOWN_MEMBER_ID)));

        LeaveGroupResponseData data = CodecTestSupport.<LeaveGroupResponse>parseResponse(
                codec.encodeResponse(response, version, 41), ApiKeys.LEAVE_GROUP, version, 41).data();

        assertThat(data.throttleTimeMs()).isZero();
        assertThat(data.errorCode()).isEqualTo(Errors.NONE.code());
        if (version >= 3) {
            assertThat(data.members()).hasSize(2);
            assertThat(data.members().get(0).memberId()).isEqualTo("m-1");
            assertThat(data.members().get(0).groupInstanceId()).isEqualTo("instance-1");
            assertThat(data.members().get(0).errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(data.members().get(1).memberId()).isEqualTo("m-2");
            assertThat(data.members().get(1).groupInstanceId()).isNull();
            assertThat(data.members().get(1).errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        } else {
            assertThat(data.members()).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesErrorResponse(short version) {
        LeaveGroupCodec.Request request = new LeaveGroupCodec.Request("g", List.of(
                new LeaveGroupCodec.Member("m-1", null, null)));

        LeaveGroupResponse parsed = CodecTestSupport.parseResponse(
                codec.encodeErrorResponse(request, version, 42, ErrorCode.COORDINATOR_NOT_AVAILABLE),
                ApiKeys.LEAVE_GROUP, version, 42);

        assertThat(parsed.data().errorCode()).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE.code());
        assertThat(parsed.error()).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        if (version >= 3) {
            assertThat(parsed.data().members()).singleElement().satisfies(m -> {
                assertThat(m.memberId()).isEqualTo("m-1");
                assertThat(m.errorCode()).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE.code());
            });
        } else {
            assertThat(parsed.data().members()).isEmpty();
        }
    }
}
