package io.millrace.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.protocol.ApiKey;
import io.millrace.protocol.ErrorCode;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JoinGroupCodecTest {

    private final JoinGroupCodec codec = new JoinGroupCodec();

    static Stream<Short> versions() {
        return IntStream.rangeClosed(ApiKey.JOIN_GROUP.oldestVersion(), ApiKey.JOIN_GROUP.latestVersion())
                .mapToObj(v -> (short) v);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void decodesRequest(short version) {
        JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols =
                new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(new byte[] {1, 2, 3}));
        protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("roundrobin").setMetadata(new byte[0]));
        JoinGroupRequestData data = new JoinGroupRequestData()
                .setGroupId("payments")
                .setSessionTimeoutMs(10_000)
                .setRebalanceTimeoutMs(30_000)
                .setMemberId("m-1")
                .setProtocolType("consumer")
                .setProtocols(protocols)
                .setReason("rejoin");
        if (version >= 5) {
            data.setGroupInstanceId("instance-1");
        }

        JoinGroupCodec.Request request = codec.decodeRequest(CodecTestSupport.requestBody(data, version), version);

        assertThat(request.groupId()).isEqualTo("payments");
        assertThat(request.sessionTimeoutMs()).isEqualTo(10_000);
        assertThat(request.rebalanceTimeoutMs()).isEqualTo(version >= 1 ? 30_000 : 10_000);
        assertThat(request.memberId()).isEqualTo("m-1");
        assertThat(request.groupInstanceId()).isEqualTo(version >= 5 ? "instance-1" : null);
        assertThat(request.protocolType()).isEqualTo("consumer");
        assertThat(request.reason()).isEqualTo(version >= 8 ? "rejoin" : null);
        assertThat(request.protocols()).extracting(JoinGroupCodec.Protocol::name).containsExactly("range", "roundrobin");
        assertThat(request.protocols().get(0).metadata()).containsExactly(1, 2, 3);
        assertThat(request.protocols().get(1).metadata()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("versions")
    void decodesNewMemberWithoutInstanceId(short version) {
        JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols =
                new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(new byte[] {9}));
        JoinGroupRequestData data = new JoinGroupRequestData().setGroupId("g").setSessionTimeoutMs(6_000)
                .setMemberId("").setProtocolType("consumer").setProtocols(protocols);

        JoinGroupCodec.Request request = codec.decodeRequest(CodecTestSupport.requestBody(data, version), version);

        assertThat(request.memberId()).isEmpty();
        assertThat(request.groupInstanceId()).isNull();
        assertThat(request.reason()).isNull();
        // Kafka's default rebalance timeout on the wire is -1 when the client leaves it unset.
        assertThat(request.rebalanceTimeoutMs()).isEqualTo(version >= 1 ? -1 : 6_000);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesResponse(short version) {
        JoinGroupCodec.Response response = new JoinGroupCodec.Response(ErrorCode.NONE, 5, "consumer", "range",
                "m-1", true, "m-1", List.of(
                        new JoinGroupCodec.Member("m-1", "instance-1", new byte[] {7}),
                        new JoinGroupCodec.Member("m-2", null, new byte[] {8, 9})));

        JoinGroupResponseData data = CodecTestSupport.<JoinGroupResponse>parseResponse(
                codec.encodeResponse(response, version, 11), ApiKeys.JOIN_GROUP, version, 11).data();

        assertThat(data.throttleTimeMs()).isZero();
        assertThat(data.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(data.generationId()).isEqualTo(5);
        assertThat(data.protocolType()).isEqualTo(version >= 7 ? "consumer" : null);
        assertThat(data.protocolName()).isEqualTo("range");
        assertThat(data.leader()).isEqualTo("m-1");
        assertThat(data.skipAssignment()).isEqualTo(version >= 9);
        assertThat(data.memberId()).isEqualTo("m-1");
        assertThat(data.members()).hasSize(2);
        assertThat(data.members().get(0).memberId()).isEqualTo("m-1");
        assertThat(data.members().get(0).groupInstanceId()).isEqualTo(version >= 5 ? "instance-1" : null);
        assertThat(data.members().get(0).metadata()).containsExactly(7);
        assertThat(data.members().get(1).memberId()).isEqualTo("m-2");
        assertThat(data.members().get(1).groupInstanceId()).isNull();
        assertThat(data.members().get(1).metadata()).containsExactly(8, 9);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesFailedResponse(short version) {
        JoinGroupResponseData data = CodecTestSupport.<JoinGroupResponse>parseResponse(
                codec.encodeResponse(JoinGroupCodec.Response.failed(ErrorCode.MEMBER_ID_REQUIRED, "m-new"), version, 12),
                ApiKeys.JOIN_GROUP, version, 12).data();

        assertThat(data.errorCode()).isEqualTo(Errors.MEMBER_ID_REQUIRED.code());
        assertThat(data.generationId()).isEqualTo(-1);
        assertThat(data.protocolType()).isNull();
        // Not nullable below version 7: sent as "" there. kafka-clients reads "" back as null from 7 on.
        assertThat(data.protocolName()).isEqualTo(version >= 7 ? null : "");
        assertThat(data.leader()).isEmpty();
        assertThat(data.skipAssignment()).isFalse();
        assertThat(data.memberId()).isEqualTo("m-new");
        assertThat(data.members()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesErrorResponse(short version) {
        JoinGroupCodec.Request request = new JoinGroupCodec.Request("g", 10_000, 30_000, "m-1", null, "consumer",
                List.of(new JoinGroupCodec.Protocol("range", new byte[0])), null);

        JoinGroupResponseData data = CodecTestSupport.<JoinGroupResponse>parseResponse(
                codec.encodeErrorResponse(request, version, 13, ErrorCode.NOT_COORDINATOR),
                ApiKeys.JOIN_GROUP, version, 13).data();

        assertThat(data.errorCode()).isEqualTo(Errors.NOT_COORDINATOR.code());
        assertThat(data.generationId()).isEqualTo(-1);
        assertThat(data.memberId()).isEmpty();
        assertThat(data.members()).isEmpty();
    }
}
