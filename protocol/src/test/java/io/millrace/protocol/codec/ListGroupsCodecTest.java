package io.millrace.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.protocol.ApiKey;
import io.millrace.protocol.ErrorCode;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ListGroupsResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ListGroupsCodecTest {

    private final ListGroupsCodec codec = new ListGroupsCodec();

    static Stream<Short> versions() {
        return IntStream.rangeClosed(ApiKey.LIST_GROUPS.oldestVersion(), ApiKey.LIST_GROUPS.latestVersion())
                .mapToObj(v -> (short) v);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void decodesRequest(short version) {
        ListGroupsRequestData data = new ListGroupsRequestData();
        if (version >= 4) {
            data.setStatesFilter(List.of("Stable", "Empty"));
        }
        if (version >= 5) {
            data.setTypesFilter(List.of("classic"));
        }

        ListGroupsCodec.Request request = codec.decodeRequest(CodecTestSupport.requestBody(data, version), version);

        assertThat(request.statesFilter()).isEqualTo(version >= 4 ? List.of("Stable", "Empty") : List.of());
        assertThat(request.typesFilter()).isEqualTo(version >= 5 ? List.of("classic") : List.of());
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesResponse(short version) {
        ListGroupsCodec.Response response = new ListGroupsCodec.Response(ErrorCode.NONE, List.of(
                new ListGroupsCodec.Group("payments", "consumer", "Stable", "classic"),
                new ListGroupsCodec.Group("connect-cluster", "connect", "Empty", "classic")));

        ListGroupsResponseData data = CodecTestSupport.<ListGroupsResponse>parseResponse(
                codec.encodeResponse(response, version, 81), ApiKeys.LIST_GROUPS, version, 81).data();

        assertThat(data.throttleTimeMs()).isZero();
        assertThat(data.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(data.groups()).hasSize(2);
        ListGroupsResponseData.ListedGroup first = data.groups().get(0);
        assertThat(first.groupId()).isEqualTo("payments");
        assertThat(first.protocolType()).isEqualTo("consumer");
        assertThat(first.groupState()).isEqualTo(version >= 4 ? "Stable" : "");
        assertThat(first.groupType()).isEqualTo(version >= 5 ? "classic" : "");
        assertThat(data.groups().get(1).groupId()).isEqualTo("connect-cluster");
        assertThat(data.groups().get(1).protocolType()).isEqualTo("connect");
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesErrorResponse(short version) {
        ListGroupsResponseData data = CodecTestSupport.<ListGroupsResponse>parseResponse(
                codec.encodeErrorResponse(new ListGroupsCodec.Request(List.of(), List.of()), version, 82,
                        ErrorCode.COORDINATOR_LOAD_IN_PROGRESS),
                ApiKeys.LIST_GROUPS, version, 82).data();

        assertThat(data.errorCode()).isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS.code());
        assertThat(data.groups()).isEmpty();
    }
}
