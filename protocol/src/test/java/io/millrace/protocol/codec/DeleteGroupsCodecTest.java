package io.millrace.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.protocol.ApiKey;
import io.millrace.protocol.ErrorCode;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DeleteGroupsResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DeleteGroupsCodecTest {

    private final DeleteGroupsCodec codec = new DeleteGroupsCodec();

    static Stream<Short> versions() {
        return IntStream.rangeClosed(ApiKey.DELETE_GROUPS.oldestVersion(), ApiKey.DELETE_GROUPS.latestVersion())
                .mapToObj(v -> (short) v);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void decodesRequest(short version) {
        DeleteGroupsRequestData data = new DeleteGroupsRequestData().setGroupsNames(List.of("payments", "billing"));

        DeleteGroupsCodec.Request request = codec.decodeRequest(CodecTestSupport.requestBody(data, version), version);

        assertThat(request.groups()).containsExactly("payments", "billing");
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesResponse(short version) {
        DeleteGroupsCodec.Response response = new DeleteGroupsCodec.Response(List.of(
                new DeleteGroupsCodec.Result("payments", ErrorCode.NONE),
                new DeleteGroupsCodec.Result("billing", ErrorCode.NON_EMPTY_GROUP)));

        DeleteGroupsResponseData data = CodecTestSupport.<DeleteGroupsResponse>parseResponse(
                codec.encodeResponse(response, version, 91), ApiKeys.DELETE_GROUPS, version, 91).data();

        assertThat(data.throttleTimeMs()).isZero();
        assertThat(data.results().find("payments").errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(data.results().find("billing").errorCode()).isEqualTo(Errors.NON_EMPTY_GROUP.code());
        assertThat(data.results()).hasSize(2);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesErrorResponseForEveryGroup(short version) {
        DeleteGroupsResponseData data = CodecTestSupport.<DeleteGroupsResponse>parseResponse(
                codec.encodeErrorResponse(new DeleteGroupsCodec.Request(List.of("payments", "billing")), version, 92,
                        ErrorCode.GROUP_AUTHORIZATION_FAILED),
                ApiKeys.DELETE_GROUPS, version, 92).data();

        assertThat(data.results()).extracting(DeleteGroupsResponseData.DeletableGroupResult::groupId)
                .containsExactly("payments", "billing");
        assertThat(data.results()).allSatisfy(r ->
                assertThat(r.errorCode()).isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED.code()));
    }
}
