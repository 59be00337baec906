package io.millrace.metadata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The binary form of a snapshot: a magic number and version, then the whole replicated state
 * (cluster id, applied index, next producer id, brokers, topics with partitions and configs, and
 * the recent replies). Who the controller is is not replicated state and is not written.
 *
 * <p>Thread-safety: stateless.
 */
final class SnapshotCodec {
    static final int MAGIC = 0x4d524d44; // "MRMD"

    /** What a snapshot holds. */
    record State(MetadataImage image, RecentReplies recent) {
    }

    private SnapshotCodec() {
    }

    static byte[] encode(State state) {
        MetadataImage image = state.image();
        Wire.Writer w = new Wire.Writer().writeInt(MAGIC).writeByte(MetadataCodec.VERSION);
        w.writeString(image.clusterId()).writeLong(image.appliedIndex()).writeLong(image.nextProducerId());
        w.writeInt(image.brokers().size());
        image.brokers().values().forEach(b -> MetadataCodec.writeBroker(w, b));
        w.writeInt(image.topicsByName().size());
        image.topicsByName().values().forEach(t -> writeTopic(w, t));
        w.writeInt(state.recent().entries().size());
        state.recent().entries().forEach((id, reply) -> w.writeUuid(id).writeBytes(reply));
        return w.toByteArray();
    }

    static State decode(byte[] bytes) {
        Wire.Reader r = new Wire.Reader(bytes);
        int magic = r.readInt();
        if (magic != MAGIC) {
            throw new Wire.CorruptException("not a metadata snapshot: magic " + Integer.toHexString(magic));
        }
        MetadataCodec.checkVersion(r.readByte());
        String clusterId = r.readString();
        long appliedIndex = r.readLong();
        long nextProducerId = r.readLong();
        int brokerCount = r.readLength(4);
        Map<Integer, BrokerInfo> brokers = new HashMap<>();
        for (int i = 0; i < brokerCount; i++) {
            BrokerInfo b = MetadataCodec.readBroker(r);
            brokers.put(b.id(), b);
        }
        int topicCount = r.readLength(4);
        Map<String, TopicInfo> topics = new HashMap<>();
        for (int i = 0; i < topicCount; i++) {
            TopicInfo t = readTopic(r);
            topics.put(t.name(), t);
        }
        int replyCount = r.readLength(4);
        Map<UUID, byte[]> replies = new LinkedHashMap<>();
        for (int i = 0; i < replyCount; i++) {
            replies.put(r.readUuid(), r.readBytes());
        }
        if (r.hasRemaining()) {
            throw new Wire.CorruptException("trailing bytes after snapshot");
        }
        MetadataImage image = new MetadataImage(clusterId, appliedIndex, topics, brokers, -1, nextProducerId);
        return new State(image, RecentReplies.of(replies));
    }

    private static void writeTopic(Wire.Writer w, TopicInfo t) {
        w.writeString(t.name()).writeUuid(t.id()).writeStringMap(t.configs()).writeInt(t.partitions().size());
        for (PartitionInfo p : t.partitions()) {
            w.writeInt(p.partition()).writeIntList(p.replicas()).writeIntList(p.isr()).writeInt(p.leader())
                    .writeInt(p.leaderEpoch()).writeInt(p.partitionEpoch());
        }
    }

    private static TopicInfo readTopic(Wire.Reader r) {
        String name = r.readString();
        UUID id = r.readUuid();
        Map<String, String> configs = r.readStringMap();
        int n = r.readLength(4);
        List<PartitionInfo> partitions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            partitions.add(new PartitionInfo(r.readInt(), r.readIntList(), r.readIntList(), r.readInt(),
                    r.readInt(), r.readInt()));
        }
        return new TopicInfo(name, id, partitions, configs);
    }
}
