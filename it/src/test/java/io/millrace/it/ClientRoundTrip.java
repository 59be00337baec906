package io.millrace.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/**
 * Checks the output of a client script that produced {@code count} records {@code key-i} /
 * {@code value-i} to one partition and read them back. Scripts print one tab-separated line per
 * record: {@code produced <offset>} for each acknowledgement and
 * {@code consumed <offset> <key> <value>} for each record read.
 */
final class ClientRoundTrip {

    private ClientRoundTrip() {
    }

    static String key(int i) {
        return "key-" + i;
    }

    static String value(int i) {
        return "value-" + i;
    }

    static void assertRoundTrip(Clients.Result result, int count) {
        List<List<String>> produced = result.taggedLines("produced");
        List<List<String>> consumed = result.taggedLines("consumed");
        assertThat(produced).as("acknowledged sends\n%s", result.describe()).hasSize(count);
        assertThat(produced).extracting(fields -> Long.parseLong(fields.get(0)))
                .as("acknowledged offsets").doesNotHaveDuplicates();
        assertThat(consumed).as("records read back\n%s", result.describe()).hasSize(count);
        for (int i = 0; i < count; i++) {
            List<String> fields = consumed.get(i);
            assertThat(Long.parseLong(fields.get(0))).as("offset of record %d", i).isEqualTo(i);
            assertThat(fields.get(1)).as("key of record %d", i).isEqualTo(key(i));
            assertThat(fields.get(2)).as("value of record %d", i).isEqualTo(value(i));
        }
    }
}
