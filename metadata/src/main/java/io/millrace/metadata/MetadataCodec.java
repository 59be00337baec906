package io.millrace.metadata;

import io.millrace.metadata.MetadataCommand.AllocateProducerIds;
import io.millrace.metadata.MetadataCommand.AlterTopicConfigs;
import io.millrace.metadata.MetadataCommand.CreatePartitions;
import io.millrace.metadata.MetadataCommand.CreateTopics;
import io.millrace.metadata.MetadataCommand.DeleteTopics;
import io.millrace.metadata.MetadataCommand.InitializeCluster;
import io.millrace.metadata.MetadataCommand.RegisterBroker;
import io.millrace.metadata.MetadataCommand.TopicCreation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The binary form of commands (as written to the Raft log) and of their replies. Each starts
 * with a format version byte and a type tag; a tag, once used, keeps its meaning forever so old
 * logs stay readable.
 *
 * <p>Thread-safety: stateless.
 */
final class MetadataCodec {
    static final byte VERSION = 1;

    private static final byte INITIALIZE_CLUSTER = 1;
    private static final byte REGISTER_BROKER = 2;
    private static final byte CREATE_TOPICS = 3;
    private static final byte DELETE_TOPICS = 4;
    private static final byte CREATE_PARTITIONS = 5;
    private static final byte ALTER_TOPIC_CONFIGS = 6;
    private static final byte ALLOCATE_PRODUCER_IDS = 7;

    private static final byte REPLY_CREATED = 1;
    private static final byte REPLY_TOPICS = 2;
    private static final byte REPLY_ERROR = 3;
    private static final byte REPLY_PRODUCER_IDS = 4;

    private MetadataCodec() {
    }

    static byte[] encode(MetadataCommand command) {
        Wire.Writer w = new Wire.Writer().writeByte(VERSION);
        if (command instanceof InitializeCluster c) {
            w.writeByte(INITIALIZE_CLUSTER).writeUuid(c.commandId()).writeString(c.clusterId());
        } else if (command instanceof RegisterBroker c) {
            w.writeByte(REGISTER_BROKER).writeUuid(c.commandId());
            writeBroker(w, c.broker());
        } else if (command instanceof CreateTopics c) {
            w.writeByte(CREATE_TOPICS).writeUuid(c.commandId()).writeInt(c.topics().size());
            c.topics().forEach(t -> writeCreation(w, t));
        } else if (command instanceof DeleteTopics c) {
            w.writeByte(DELETE_TOPICS).writeUuid(c.commandId()).writeInt(c.names().size());
            c.names().forEach(w::writeString);
            w.writeInt(c.ids().size());
            c.ids().forEach(w::writeUuid);
        } else if (command instanceof CreatePartitions c) {
            w.writeByte(CREATE_PARTITIONS).writeUuid(c.commandId()).writeInt(c.placementStart())
                    .writeInt(c.placementShift());
            w.writeInt(c.increases().size());
            c.increases().forEach(i -> writeIncrease(w, i));
        } else if (command instanceof AlterTopicConfigs c) {
            w.writeByte(ALTER_TOPIC_CONFIGS).writeUuid(c.commandId()).writeString(c.topic())
                    .writeStringMap(c.set()).writeStrings(c.delete()).writeBoolean(c.replaceAll());
        } else if (command instanceof AllocateProducerIds c) {
            w.writeByte(ALLOCATE_PRODUCER_IDS).writeUuid(c.commandId()).writeInt(c.brokerId());
        } else {
            throw new IllegalArgumentException("no encoding for " + command);
        }
        return w.toByteArray();
    }

    static MetadataCommand decodeCommand(byte[] bytes) {
        Wire.Reader r = new Wire.Reader(bytes);
        checkVersion(r.readByte());
        byte tag = r.readByte();
        UUID id = r.readUuid();
        return switch (tag) {
            case INITIALIZE_CLUSTER -> new InitializeCluster(id, r.readString());
            case REGISTER_BROKER -> new RegisterBroker(id, readBroker(r));
            case CREATE_TOPICS -> {
                int n = r.readLength(1);
                List<TopicCreation> topics = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    topics.add(readCreation(r));
                }
                yield new CreateTopics(id, topics);
            }
            case DELETE_TOPICS -> {
                List<String> names = r.readStrings();
                int n = r.readLength(1);
                List<UUID> ids = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    ids.add(r.readUuid());
                }
                yield new DeleteTopics(id, names, ids);
            }
            case CREATE_PARTITIONS -> {
                int start = r.readInt();
                int shift = r.readInt();
                int n = r.readLength(1);
                List<PartitionIncrease> increases = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    increases.add(readIncrease(r));
                }
                yield new CreatePartitions(id, increases, start, shift);
            }
            case ALTER_TOPIC_CONFIGS -> new AlterTopicConfigs(id, r.readString(), r.readStringMap(),
                    new HashSet<>(r.readStrings()), r.readBoolean());
            case ALLOCATE_PRODUCER_IDS -> new AllocateProducerIds(id, r.readInt());
            default -> throw new Wire.CorruptException("unknown command tag " + tag);
        };
    }

    static byte[] encode(CommandReply reply) {
        Wire.Writer w = new Wire.Writer().writeByte(VERSION);
        if (reply instanceof CommandReply.Created c) {
            w.writeByte(REPLY_CREATED).writeInt(c.results().size());
            c.results().forEach(res -> w.writeString(res.name()).writeError(res.error())
                    .writeString(res.errorMessage()).writeUuid(res.topicId()).writeInt(res.numPartitions())
                    .writeShort(res.replicationFactor()).writeStringMap(res.configs()));
        } else if (reply instanceof CommandReply.Topics t) {
            w.writeByte(REPLY_TOPICS).writeInt(t.results().size());
            t.results().forEach(res -> w.writeString(res.name()).writeUuid(res.topicId())
                    .writeError(res.error()).writeString(res.errorMessage()));
        } else if (reply instanceof CommandReply.Error e) {
            w.writeByte(REPLY_ERROR).writeError(e.result().error()).writeString(e.result().errorMessage());
        } else if (reply instanceof CommandReply.ProducerIds p) {
            w.writeByte(REPLY_PRODUCER_IDS).writeLong(p.block().firstProducerId()).writeInt(p.block().size());
        } else {
            throw new IllegalArgumentException("no encoding for " + reply);
        }
        return w.toByteArray();
    }

    static CommandReply decodeReply(byte[] bytes) {
        Wire.Reader r = new Wire.Reader(bytes);
        checkVersion(r.readByte());
        byte tag = r.readByte();
        return switch (tag) {
            case REPLY_CREATED -> {
                int n = r.readLength(1);
                List<CreateTopicResult> results = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    results.add(new CreateTopicResult(r.readString(), r.readError(), r.readString(), r.readUuid(),
                            r.readInt(), r.readShort(), r.readStringMap()));
                }
                yield new CommandReply.Created(results);
            }
            case REPLY_TOPICS -> {
                int n = r.readLength(1);
                List<TopicResult> results = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    results.add(new TopicResult(r.readString(), r.readUuid(), r.readError(), r.readString()));
                }
                yield new CommandReply.Topics(results);
            }
            case REPLY_ERROR -> new CommandReply.Error(new ErrorResult(r.readError(), r.readString()));
            case REPLY_PRODUCER_IDS -> new CommandReply.ProducerIds(new ProducerIdBlock(r.readLong(), r.readInt()));
            default -> throw new Wire.CorruptException("unknown reply tag " + tag);
        };
    }

    static void writeBroker(Wire.Writer w, BrokerInfo b) {
        w.writeInt(b.id()).writeString(b.host()).writeInt(b.port()).writeString(b.rack()).writeBoolean(b.fenced());
    }

    static BrokerInfo readBroker(Wire.Reader r) {
        return new BrokerInfo(r.readInt(), r.readString(), r.readInt(), r.readString(), r.readBoolean());
    }

    private static void writeCreation(Wire.Writer w, TopicCreation t) {
        w.writeString(t.name()).writeUuid(t.topicId()).writeInt(t.numPartitions()).writeShort(t.replicationFactor());
        w.writeInt(t.assignments().size());
        new TreeMap<>(t.assignments()).forEach((p, replicas) -> w.writeInt(p).writeIntList(replicas));
        w.writeStringMap(t.configs()).writeInt(t.placementStart()).writeInt(t.placementShift());
    }

    private static TopicCreation readCreation(Wire.Reader r) {
        String name = r.readString();
        UUID id = r.readUuid();
        int partitions = r.readInt();
        short rf = r.readShort();
        int n = r.readLength(8);
        Map<Integer, List<Integer>> assignments = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            assignments.put(r.readInt(), r.readIntList());
        }
        return new TopicCreation(name, id, partitions, rf, assignments, r.readStringMap(), r.readInt(), r.readInt());
    }

    private static void writeIncrease(Wire.Writer w, PartitionIncrease i) {
        w.writeString(i.topic()).writeInt(i.newTotalCount()).writeBoolean(i.assignments() != null);
        if (i.assignments() != null) {
            w.writeInt(i.assignments().size());
            i.assignments().forEach(w::writeIntList);
        }
    }

    private static PartitionIncrease readIncrease(Wire.Reader r) {
        String topic = r.readString();
        int count = r.readInt();
        List<List<Integer>> assignments = null;
        if (r.readBoolean()) {
            int n = r.readLength(4);
            assignments = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                assignments.add(r.readIntList());
            }
        }
        return new PartitionIncrease(topic, count, assignments);
    }

    static void checkVersion(byte version) {
        if (version != VERSION) {
            throw new Wire.CorruptException("unsupported format version " + version);
        }
    }
}
