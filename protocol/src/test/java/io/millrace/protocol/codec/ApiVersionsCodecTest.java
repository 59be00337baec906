package io.millrace.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.codec.ApiVersionsCodec.ApiVersionRange;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ApiVersionsCodecTest {

    private static final List<ApiVersionRange> RANGES = List.of(
            new ApiVersionRange(ApiKeys.PRODUCE.id, (short) 0, (short) 13),
            new ApiVersionRange(ApiKeys.FETCH.id, (short) 4, (short) 18),
            new ApiVersionRange(ApiKeys.API_VERSIONS.id, (short) 0, (short) 4));

    private final ApiVersionsCodec codec = new ApiVersionsCodec();

    static Stream<Short> versions() {
        return WireFrames.versions(ApiKeys.API_VERSIONS);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void decodesRequest(short version) {
        ApiVersionsRequestData data = new ApiVersionsRequestData()
                .setClientSoftwareName("millrace-test").setClientSoftwareVersion("1.2.3");

        ApiVersionsCodec.Request request = codec.decodeRequest(
                WireFrames.requestBody(ApiKeys.API_VERSIONS, version, 11, data), version);

        if (version >= 3) {
            assertThat(request).isEqualTo(new ApiVersionsCodec.Request("millrace-test", "1.2.3"));
        } else {
            assertThat(request).isEqualTo(new ApiVersionsCodec.Request("", ""));
        }
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesResponse(short version) {
        ApiVersionsResponse parsed = WireFrames.parseResponse(
                codec.encodeResponse(new ApiVersionsCodec.Response(ErrorCode.NONE, RANGES), version, 12),
                ApiKeys.API_VERSIONS, version, 12);

        assertThat(parsed.data().errorCode()).isEqualTo(Errors.NONE.code());
        assertRanges(parsed.data(), RANGES);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesErrorResponse(short version) {
        ApiVersionsResponse parsed = WireFrames.parseResponse(
                codec.encodeErrorResponse(new ApiVersionsCodec.Request("c", "1"), version, 13, ErrorCode.INVALID_REQUEST),
                ApiKeys.API_VERSIONS, version, 13);

        assertThat(parsed.data().errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(parsed.data().apiKeys()).isEmpty();
    }

    @Test
    void unsupportedVersionIsAVersionZeroResponseWithTheRanges() {
        ApiVersionsResponse parsed = WireFrames.parseResponse(codec.encodeUnsupportedVersion(RANGES, 14),
                ApiKeys.API_VERSIONS, (short) 0, 14);

        assertThat(parsed.data().errorCode()).isEqualTo((short) 35).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
        assertRanges(parsed.data(), RANGES);
    }

    private static void assertRanges(ApiVersionsResponseData data, List<ApiVersionRange> expected) {
        assertThat(data.apiKeys()).hasSize(expected.size());
        for (ApiVersionRange range : expected) {
            ApiVersionsResponseData.ApiVersion wire = data.apiKeys().find(range.apiKeyId());
            assertThat(wire).as("api key %s", range.apiKeyId()).isNotNull();
            assertThat(wire.minVersion()).isEqualTo(range.minVersion());
            assertThat(wire.maxVersion()).isEqualTo(range.maxVersion());
        }
    }
}
