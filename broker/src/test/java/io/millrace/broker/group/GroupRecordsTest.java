package io.millrace.broker.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupRecordsTest {

    @Test
    void offsetKeyAndValueRoundTrip() {
        GroupRecords.Key key = GroupRecords.readKey(ByteBuffer.wrap(GroupRecords.offsetKey("g", "orders", 7)));
        assertThat(key).isEqualTo(new GroupRecords.Key("g", "orders", 7));
        assertThat(key.isOffset()).isTrue();

        GroupRecords.OffsetValue value = new GroupRecords.OffsetValue(42, 3, "meta", 1_700_000_000_000L);
        assertThat(GroupRecords.readOffsetValue(ByteBuffer.wrap(GroupRecords.offsetValue(value)))).isEqualTo(value);
    }

    @Test
    void offsetKeyHasKafkasLayout() {
        // version 1, then group, topic (int16-length strings) and partition
        ByteBuffer b = ByteBuffer.wrap(GroupRecords.offsetKey("g", "t", 2));
        assertThat(b.getShort()).isEqualTo((short) 1);
        assertThat(b.getShort()).isEqualTo((short) 1);
        assertThat(b.get()).isEqualTo((byte) 'g');
        assertThat(b.getShort()).isEqualTo((short) 1);
        assertThat(b.get()).isEqualTo((byte) 't');
        assertThat(b.getInt()).isEqualTo(2);
        assertThat(b.hasRemaining()).isFalse();
    }

    @Test
    void groupValueRoundTripsWithMembersAndNulls() {
        GroupRecords.GroupValue value = new GroupRecords.GroupValue("consumer", 5, "range", "m-1", 99L, List.of(
                new GroupRecords.MemberValue("m-1", null, "client", "/127.0.0.1", 300_000, 45_000, new byte[] {1, 2},
                        new byte[] {3}),
                new GroupRecords.MemberValue("m-2", "instance-2", "client", "/127.0.0.1", 300_000, 45_000, new byte[0],
                        new byte[0])));
        GroupRecords.GroupValue read = GroupRecords.readGroupValue(ByteBuffer.wrap(GroupRecords.groupValue(value)));
        assertThat(read.protocolType()).isEqualTo("consumer");
        assertThat(read.generation()).isEqualTo(5);
        assertThat(read.protocol()).isEqualTo("range");
        assertThat(read.leader()).isEqualTo("m-1");
        assertThat(read.currentStateTimestampMs()).isEqualTo(99L);
        assertThat(read.members()).hasSize(2);
        assertThat(read.members().get(0).groupInstanceId()).isNull();
        assertThat(read.members().get(0).subscription()).containsExactly(1, 2);
        assertThat(read.members().get(1).groupInstanceId()).isEqualTo("instance-2");

        GroupRecords.GroupValue empty = new GroupRecords.GroupValue("consumer", 6, null, null, 1L, List.of());
        GroupRecords.GroupValue readEmpty = GroupRecords.readGroupValue(ByteBuffer.wrap(GroupRecords.groupValue(empty)));
        assertThat(readEmpty.protocol()).isNull();
        assertThat(readEmpty.leader()).isNull();
        assertThat(readEmpty.members()).isEmpty();
    }

    @Test
    void unknownKeyVersionIsRejected() {
        assertThatThrownBy(() -> GroupRecords.readKey(ByteBuffer.wrap(new byte[] {0, 9, 0, 0})))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
