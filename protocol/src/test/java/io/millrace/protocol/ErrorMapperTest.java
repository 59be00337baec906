package io.millrace.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class ErrorMapperTest {

    @Test
    void everyErrorCodeMapsToTheKafkaErrorOfTheSameName() {
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(ErrorMapper.toKafka(code).name()).isEqualTo(code.name());
            assertThat(ErrorMapper.fromWireCode(ErrorMapper.wireCode(code))).isEqualTo(code);
        }
    }

    @Test
    void unknownKafkaCodesBecomeUnknownServerError() {
        assertThat(ErrorMapper.fromWireCode((short) 9999)).isEqualTo(ErrorCode.UNKNOWN_SERVER_ERROR);
        assertThat(ErrorMapper.toKafka(ErrorCode.NONE)).isEqualTo(Errors.NONE);
    }
}
