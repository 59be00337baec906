package io.millrace.protocol.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyValueRecordsTest {

    @Test
    void buildsABatchThatReadsBackWithTombstones() {
        ByteBuffer batch = KeyValueRecords.build(1234L, List.of(
                new KeyValueRecords.Entry("a".getBytes(StandardCharsets.UTF_8), "1".getBytes(StandardCharsets.UTF_8)),
                new KeyValueRecords.Entry("b".getBytes(StandardCharsets.UTF_8), null)));
        List<String> seen = new ArrayList<>();
        long next = KeyValueRecords.forEach(batch, (offset, timestamp, key, value) -> seen.add(offset + ":" + timestamp
                + ":" + StandardCharsets.UTF_8.decode(key) + ":" + (value == null ? "null" : StandardCharsets.UTF_8.decode(value))));
        assertThat(seen).containsExactly("0:1234:a:1", "1:1234:b:null");
        assertThat(next).isEqualTo(2);
    }

    @Test
    void aTornLastBatchIsIgnored() {
        ByteBuffer first = KeyValueRecords.build(1L, List.of(new KeyValueRecords.Entry(new byte[] {1}, new byte[] {2})));
        ByteBuffer second = KeyValueRecords.build(1L, List.of(new KeyValueRecords.Entry(new byte[] {3}, new byte[] {4})));
        ByteBuffer both = ByteBuffer.allocate(first.remaining() + second.remaining() - 5);
        both.put(first.duplicate());
        both.put(second.duplicate().limit(second.limit() - 5));
        both.flip();
        List<Long> offsets = new ArrayList<>();
        KeyValueRecords.forEach(both, (offset, timestamp, key, value) -> offsets.add(offset));
        assertThat(offsets).containsExactly(0L);
    }
}
