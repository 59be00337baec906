package io.millrace.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.protocol.ErrorCode;
import java.util.stream.Stream;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class InitProducerIdCodecTest {

    private final InitProducerIdCodec codec = new InitProducerIdCodec();

    static Stream<Short> versions() {
        return WireFrames.versions(ApiKeys.INIT_PRODUCER_ID);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void decodesIdempotentProducerRequest(short version) {
        InitProducerIdRequestData data = new InitProducerIdRequestData()
                .setTransactionalId(null).setTransactionTimeoutMs(2147483647);

        InitProducerIdCodec.Request request = codec.decodeRequest(
                WireFrames.requestBody(ApiKeys.INIT_PRODUCER_ID, version, 21, data), version);

        assertThat(request).isEqualTo(new InitProducerIdCodec.Request(null, 2147483647, -1L, (short) -1));
    }

    @ParameterizedTest
    @MethodSource("versions")
    void decodesEpochBumpRequest(short version) {
        InitProducerIdRequestData data = new InitProducerIdRequestData()
                .setTransactionalId("txn-1").setTransactionTimeoutMs(60_000)
                .setProducerId(version >= 3 ? 4000L : -1L).setProducerEpoch(version >= 3 ? (short) 7 : (short) -1);

        InitProducerIdCodec.Request request = codec.decodeRequest(
                WireFrames.requestBody(ApiKeys.INIT_PRODUCER_ID, version, 22, data), version);

        assertThat(request.transactionalId()).isEqualTo("txn-1");
        assertThat(request.transactionTimeoutMs()).isEqualTo(60_000);
        assertThat(request.producerId()).isEqualTo(version >= 3 ? 4000L : -1L);
        assertThat(request.producerEpoch()).isEqualTo(version >= 3 ? (short) 7 : (short) -1);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesResponse(short version) {
        InitProducerIdResponse parsed = WireFrames.parseResponse(
                codec.encodeResponse(new InitProducerIdCodec.Response(ErrorCode.NONE, 1234L, (short) 3), version, 23),
                ApiKeys.INIT_PRODUCER_ID, version, 23);

        assertThat(parsed.data().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(parsed.data().producerId()).isEqualTo(1234L);
        assertThat(parsed.data().producerEpoch()).isEqualTo((short) 3);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesErrorResponse(short version) {
        InitProducerIdResponse parsed = WireFrames.parseResponse(
                codec.encodeErrorResponse(new InitProducerIdCodec.Request(null, 1000, -1, (short) -1), version, 24,
                        ErrorCode.COORDINATOR_NOT_AVAILABLE),
                ApiKeys.INIT_PRODUCER_ID, version, 24);

        assertThat(parsed.data().errorCode()).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE.code());
        assertThat(parsed.data().producerId()).isEqualTo(-1L);
        assertThat(parsed.data().producerEpoch()).isEqualTo((short) -1);
    }
}
