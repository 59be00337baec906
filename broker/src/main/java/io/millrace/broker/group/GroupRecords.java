package io.millrace.broker.group;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The records the coordinator writes to {@code __consumer_offsets}, in the byte layout Kafka uses
 * for them (offset commit key v1 and value v3, group metadata key v2 and value v3), so that a
 * Millrace offsets topic reads like Kafka's. A {@code null} value is a tombstone: the offset or the
 * group was deleted, and compaction eventually removes both.
 *
 * <p>Stateless; safe from any thread.
 */
public final class GroupRecords {

    private static final short OFFSET_KEY_VERSION = 1;
    private static final short GROUP_KEY_VERSION = 2;
    private static final short OFFSET_VALUE_VERSION = 3;
    private static final short GROUP_VALUE_VERSION = 3;

    /** A decoded key: an offset commit ({@code topic != null}) or a group's metadata. */
    public record Key(String group, String topic, int partition) {
        public boolean isOffset() {
            return topic != null;
        }
    }

    /** A committed offset as stored. */
    public record OffsetValue(long offset, int leaderEpoch, String metadata, long commitTimestampMs) {
    }

    /** A member as stored in the group's metadata. */
    public record MemberValue(String memberId, String groupInstanceId, String clientId, String clientHost,
                              int rebalanceTimeoutMs, int sessionTimeoutMs, byte[] subscription, byte[] assignment) {
    }

    /** A group's metadata as stored after each rebalance. */
    public record GroupValue(String protocolType, int generation, String protocol, String leader,
                             long currentStateTimestampMs, List<MemberValue> members) {
    }

    private GroupRecords() {
    }

    public static byte[] offsetKey(String group, String topic, int partition) {
        Writer w = new Writer();
        w.int16(OFFSET_KEY_VERSION).string(group).string(topic).int32(partition);
        return w.bytes();
    }

    public static byte[] groupKey(String group) {
        Writer w = new Writer();
        w.int16(GROUP_KEY_VERSION).string(group);
        return w.bytes();
    }

    public static byte[] offsetValue(OffsetValue value) {
        Writer w = new Writer();
        w.int16(OFFSET_VALUE_VERSION).int64(value.offset()).int32(value.leaderEpoch()).string(value.metadata())
                .int64(value.commitTimestampMs());
        return w.bytes();
    }

    public static byte[] groupValue(GroupValue value) {
        Writer w = new Writer();
        w.int16(GROUP_VALUE_VERSION).string(value.protocolType() == null ? "" : value.protocolType())
                .int32(value.generation()).nullableString(value.protocol()).nullableString(value.leader())
                .int64(value.currentStateTimestampMs()).int32(value.members().size());
        for (MemberValue m : value.members()) {
            w.string(m.memberId()).nullableString(m.groupInstanceId()).string(m.clientId()).string(m.clientHost())
                    .int32(m.rebalanceTimeoutMs()).int32(m.sessionTimeoutMs()).bytes(m.subscription())
                    .bytes(m.assignment());
        }
        return w.bytes();
    }

    /** Decodes a key; throws {@link IllegalArgumentException} for versions this broker does not write or read. */
    public static Key readKey(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        short version = b.getShort();
        return switch (version) {
            case 0, 1 -> new Key(string(b), string(b), b.getInt());
            case 2 -> new Key(string(b), null, -1);
            default -> throw new IllegalArgumentException("unknown __consumer_offsets key version " + version);
        };
    }

    /** Decodes an offset value, versions 0 to 3. */
    public static OffsetValue readOffsetValue(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        short version = b.getShort();
        if (version < 0 || version > 3) {
            throw new IllegalArgumentException("unknown offset commit value version " + version);
        }
        long offset = b.getLong();
        int leaderEpoch = version >= 3 ? b.getInt() : -1;
        String metadata = string(b);
        long commitTimestamp = b.getLong();
        return new OffsetValue(offset, leaderEpoch, metadata, commitTimestamp);
    }

    /** Decodes a group value, versions 0 to 3. */
    public static GroupValue readGroupValue(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        short version = b.getShort();
        if (version < 0 || version > 3) {
            throw new IllegalArgumentException("unknown group metadata value version " + version);
        }
        String protocolType = string(b);
        int generation = b.getInt();
        String protocol = string(b);
        String leader = string(b);
        long stateTimestamp = version >= 2 ? b.getLong() : -1L;
        int count = b.getInt();
        List<MemberValue> members = new ArrayList<>(Math.max(0, count));
        for (int i = 0; i < count; i++) {
            String memberId = string(b);
            String instanceId = version >= 3 ? string(b) : null;
            String clientId = string(b);
            String clientHost = string(b);
            int rebalanceTimeout = version >= 1 ? b.getInt() : -1;
            int sessionTimeout = b.getInt();
            if (rebalanceTimeout < 0) {
                rebalanceTimeout = sessionTimeout;
            }
            members.add(new MemberValue(memberId, instanceId, clientId, clientHost, rebalanceTimeout, sessionTimeout,
                    bytes(b), bytes(b)));
        }
        return new GroupValue(protocolType, generation, protocol, leader, stateTimestamp, members);
    }

    private static String string(ByteBuffer b) {
        short length = b.getShort();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ByteBuffer b) {
        int length = b.getInt();
        byte[] bytes = new byte[Math.max(0, length)];
        b.get(bytes);
        return bytes;
    }

    /** Big-endian writer for Kafka's non-flexible encoding. */
    private static final class Writer {
        private ByteBuffer buffer = ByteBuffer.allocate(128);

        Writer int16(short v) {
            ensure(2).putShort(v);
            return this;
        }

        Writer int32(int v) {
            ensure(4).putInt(v);
            return this;
        }

        Writer int64(long v) {
            ensure(8).putLong(v);
            return this;
        }

        Writer string(String v) {
            byte[] bytes = (v == null ? "" : v).getBytes(StandardCharsets.UTF_8);
            if (bytes.length > Short.MAX_VALUE) {
                throw new IllegalArgumentException("string of " + bytes.length + " bytes is too long");
            }
            ensure(2 + bytes.length).putShort((short) bytes.length).put(bytes);
            return this;
        }

        Writer nullableString(String v) {
            if (v == null) {
                return int16((short) -1);
            }
            return string(v);
        }

        Writer bytes(byte[] v) {
            byte[] bytes = v == null ? new byte[0] : v;
            ensure(4 + bytes.length).putInt(bytes.length).put(bytes);
            return this;
        }

        private ByteBuffer ensure(int more) {
            if (buffer.remaining() < more) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + more));
                buffer.flip();
                bigger.put(buffer);
                buffer = bigger;
            }
            return buffer;
        }

        byte[] bytes() {
            byte[] out = new byte[buffer.position()];
            buffer.flip();
            buffer.get(out);
            return out;
        }
    }
}
