package io.millrace.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.protocol.ApiKey;
import io.millrace.protocol.ErrorCode;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FindCoordinatorCodecTest {

    private final FindCoordinatorCodec codec = new FindCoordinatorCodec();

    static Stream<Short> versions() {
        return IntStream.rangeClosed(ApiKey.FIND_COORDINATOR.oldestVersion(), ApiKey.FIND_COORDINATOR.latestVersion())
                .mapToObj(v -> (short) v);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void decodesRequest(short version) {
        FindCoordinatorRequestData data = new FindCoordinatorRequestData();
        if (version >= 1) {
            data.setKeyType(FindCoordinatorCodec.KEY_TYPE_TRANSACTION);
        }
        if (version >= 4) {
            data.setCoordinatorKeys(List.of("txn-a", "txn-b"));
        } else {
            data.setKey("txn-a");
        }

        FindCoordinatorCodec.Request request = codec.decodeRequest(CodecTestSupport.requestBody(data, version), version);

        assertThat(request.keyType()).isEqualTo(version >= 1
                ? FindCoordinatorCodec.KEY_TYPE_TRANSACTION : FindCoordinatorCodec.KEY_TYPE_GROUP);
        assertThat(request.keys()).isEqualTo(version >= 4 ? List.of("txn-a", "txn-b") : List.of("txn-a"));
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesResponse(short version) {
        FindCoordinatorCodec.Response response = new FindCoordinatorCodec.Response(List.of(
                new FindCoordinatorCodec.Coordinator("g1", 3, "broker-3", 9093, ErrorCode.NONE, null),
                new FindCoordinatorCodec.Coordinator("g2", -1, "", -1, ErrorCode.NOT_COORDINATOR, "moved")));

        FindCoordinatorResponse parsed = CodecTestSupport.parseResponse(codec.encodeResponse(response, version, 5),
                ApiKeys.FIND_COORDINATOR, version, 5);

        FindCoordinatorResponseData data = parsed.data();
        assertThat(data.throttleTimeMs()).isZero();
        if (version >= 4) {
            assertThat(data.coordinators()).hasSize(2);
            FindCoordinatorResponseData.Coordinator first = data.coordinators().get(0);
            assertThat(first.key()).isEqualTo("g1");
            assertThat(first.nodeId()).isEqualTo(3);
            assertThat(first.host()).isEqualTo("broker-3");
            assertThat(first.port()).isEqualTo(9093);
            assertThat(first.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(first.errorMessage()).isNull();
            FindCoordinatorResponseData.Coordinator second = data.coordinators().get(1);
            assertThat(second.key()).isEqualTo("g2");
            assertThat(second.errorCode()).isEqualTo(Errors.NOT_COORDINATOR.code());
            assertThat(second.errorMessage()).isEqualTo("moved");
        } else {
            assertThat(data.coordinators()).isEmpty();
            assertThat(data.nodeId()).isEqualTo(3);
            assertThat(data.host()).isEqualTo("broker-3");
            assertThat(data.port()).isEqualTo(9093);
            assertThat(data.errorCode()).isEqualTo(Errors.NONE.code());
            // No error message on the wire at version 0: kafka-clients leaves its default "" there.
            assertThat(data.errorMessage()).isEqualTo(version >= 1 ? null : "");
        }
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesSingleKeyErrorMessageWhereTheWireHasIt(short version) {
        FindCoordinatorCodec.Response response = new FindCoordinatorCodec.Response(List.of(
                new FindCoordinatorCodec.Coordinator("g1", -1, "", -1, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, "loading")));

        FindCoordinatorResponseData data = CodecTestSupport.<FindCoordinatorResponse>parseResponse(
                codec.encodeResponse(response, version, 6), ApiKeys.FIND_COORDINATOR, version, 6).data();

        if (version >= 4) {
            assertThat(data.coordinators()).singleElement().satisfies(c -> {
                assertThat(c.errorCode()).isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS.code());
                assertThat(c.errorMessage()).isEqualTo("loading");
            });
        } else {
            assertThat(data.errorCode()).isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS.code());
            assertThat(data.errorMessage()).isEqualTo(version >= 1 ? "loading" : "");
        }
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesErrorResponseForEveryKey(short version) {
        List<String> keys = version >= 4 ? List.of("g1", "g2") : List.of("g1");
        FindCoordinatorCodec.Request request = new FindCoordinatorCodec.Request(FindCoordinatorCodec.KEY_TYPE_GROUP, keys);

        FindCoordinatorResponseData data = CodecTestSupport.<FindCoordinatorResponse>parseResponse(
                codec.encodeErrorResponse(request, version, 7, ErrorCode.COORDINATOR_NOT_AVAILABLE),
                ApiKeys.FIND_COORDINATOR, version, 7).data();

        short expected = Errors.COORDINATOR_NOT_AVAILABLE.code();
        if (version >= 4) {
            assertThat(data.coordinators()).extracting(FindCoordinatorResponseData.Coordinator::key).containsExactly("g1", "g2");
            assertThat(data.coordinators()).allSatisfy(c -> {
                assertThat(c.errorCode()).isEqualTo(expected);
                assertThat(c.nodeId()).isEqualTo(-1);
            });
        } else {
            assertThat(data.errorCode()).isEqualTo(expected);
            assertThat(data.nodeId()).isEqualTo(-1);
        }
    }
}
