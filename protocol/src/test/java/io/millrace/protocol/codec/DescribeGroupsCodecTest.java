package io.millrace.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.protocol.ApiKey;
import io.millrace.protocol.ErrorCode;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeGroupsResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DescribeGroupsCodecTest {

    private final DescribeGroupsCodec codec = new DescribeGroupsCodec();

    static Stream<Short> versions() {
        return IntStream.rangeClosed(ApiKey.DESCRIBE_GROUPS.oldestVersion(), ApiKey.DESCRIBE_GROUPS.latestVersion())
                .mapToObj(v -> (short) v);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void decodesRequest(short version) {
        DescribeGroupsRequestData data = new DescribeGroupsRequestData().setGroups(List.of("payments", "billing"));
        if (version >= 3) {
            data.setIncludeAuthorizedOperations(true);
        }

        DescribeGroupsCodec.Request request = codec.decodeRequest(CodecTestSupport.requestBody(data, version), version);

        assertThat(request).isEqualTo(new DescribeGroupsCodec.Request(List.of("payments", "billing"), version >= 3));
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesResponse(short version) {
        DescribeGroupsCodec.Response response = new DescribeGroupsCodec.Response(List.of(
                new DescribeGroupsCodec.Group(ErrorCode.NONE, null, "payments", "Stable", "consumer", "range", List.of(
                        new DescribeGroupsCodec.Member("m-1", "instance-1", "client-1", "/10.0.0.1",
                                new byte[] {1, 2}, new byte[] {3}),
                        new DescribeGroupsCodec.Member("m-2", null, "client-2", "/10.0.0.2", new byte[0], new byte[0])),
                        0b1000),
                new DescribeGroupsCodec.Group(ErrorCode.GROUP_AUTHORIZATION_FAILED, "denied", "billing", "", "", "",
                        List.of(), DescribeGroupsCodec.AUTHORIZED_OPERATIONS_OMITTED)));

        DescribeGroupsResponseData data = CodecTestSupport.<DescribeGroupsResponse>parseResponse(
                codec.encodeResponse(response, version, 71), ApiKeys.DESCRIBE_GROUPS, version, 71).data();

        assertThat(data.throttleTimeMs()).isZero();
        assertThat(data.groups()).hasSize(2);
        DescribeGroupsResponseData.DescribedGroup first = data.groups().get(0);
        assertThat(first.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(first.errorMessage()).isNull();
        assertThat(first.groupId()).isEqualTo("payments");
        assertThat(first.groupState()).isEqualTo("Stable");
        assertThat(first.protocolType()).isEqualTo("consumer");
        assertThat(first.protocolData()).isEqualTo("range");
        assertThat(first.authorizedOperations()).isEqualTo(version >= 3 ? 0b1000 : Integer.MIN_VALUE);
        assertThat(first.members()).hasSize(2);
        DescribeGroupsResponseData.DescribedGroupMember m1 = first.members().get(0);
        assertThat(m1.memberId()).isEqualTo("m-1");
        assertThat(m1.groupInstanceId()).isEqualTo(version >= 4 ? "instance-1" : null);
        assertThat(m1.clientId()).isEqualTo("client-1");
        assertThat(m1.clientHost()).isEqualTo("/10.0.0.1");
        assertThat(m1.memberMetadata()).containsExactly(1, 2);
        assertThat(m1.memberAssignment()).containsExactly(3);
        DescribeGroupsResponseData.DescribedGroupMember m2 = first.members().get(1);
        assertThat(m2.groupInstanceId()).isNull();
        assertThat(m2.memberMetadata()).isEmpty();
        assertThat(m2.memberAssignment()).isEmpty();
        DescribeGroupsResponseData.DescribedGroup second = data.groups().get(1);
        assertThat(second.errorCode()).isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED.code());
        assertThat(second.errorMessage()).isEqualTo(version >= 6 ? "denied" : null);
        assertThat(second.groupId()).isEqualTo("billing");
        assertThat(second.authorizedOperations()).isEqualTo(Integer.MIN_VALUE);
        assertThat(second.members()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesErrorResponseForEveryGroup(short version) {
        DescribeGroupsCodec.Request request = new DescribeGroupsCodec.Request(List.of("payments", "billing"), false);

        DescribeGroupsResponseData data = CodecTestSupport.<DescribeGroupsResponse>parseResponse(
                codec.encodeErrorResponse(request, version, 72, ErrorCode.COORDINATOR_NOT_AVAILABLE),
                ApiKeys.DESCRIBE_GROUPS, version, 72).data();

        assertThat(data.groups()).extracting(DescribeGroupsResponseData.DescribedGroup::groupId)
                .containsExactly("payments", "billing");
        assertThat(data.groups()).allSatisfy(g -> {
            assertThat(g.errorCode()).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE.code());
            assertThat(g.groupState()).isEmpty();
            assertThat(g.members()).isEmpty();
        });
    }
}
