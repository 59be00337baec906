package io.millrace.metadata;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis state machine that holds the cluster metadata. {@link #applyTransaction} decodes a
 * {@link MetadataCommand}, runs the deterministic {@link MetadataApplier}, publishes the new
 * {@link MetadataImage} and answers with the encoded {@link CommandReply}; a command id seen
 * among the {@link RecentReplies} is answered with its first reply instead. Snapshots hold the
 * whole state in one file of {@link SnapshotCodec}'s format, managed by
 * {@link SimpleStateMachineStorage}; {@link #initialize} and {@link #reinitialize} load the
 * latest one and Ratis replays the log after it.
 *
 * <p>Threads: Ratis' StateMachineUpdater thread calls apply and (auto-triggered) snapshot;
 * leader changes arrive on a Raft server thread; validate-only queries on gRPC threads. The image
 * is published through a volatile field, so readers never lock; every change of image and
 * replies happens under {@code lock}, which keeps listener notifications in order.
 */
final class MetadataStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataStateMachine.class);

    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final Object lock = new Object();
    private final List<MetadataListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> leaderReadyListeners = new CopyOnWriteArrayList<>();
    private final AppliedIndexWaiters waiters = new AppliedIndexWaiters();
    private volatile MetadataImage image = MetadataImage.EMPTY;
    private RecentReplies recent = RecentReplies.EMPTY; // guarded by lock

    MetadataImage image() {
        return image;
    }

    void addListener(MetadataListener listener) {
        listeners.add(listener);
    }

    AppliedIndexWaiters waiters() {
        return waiters;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        load(storage.getLatestSnapshot());
    }

    @Override
    public void reinitialize() throws IOException {
        load(storage.loadLatestSnapshot());
    }

    @Override
    public SimpleStateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        TermIndex termIndex = TermIndex.valueOf(entry);
        byte[] replyBytes;
        try {
            MetadataCommand command = MetadataCodec.decodeCommand(
                    entry.getStateMachineLogEntry().getLogData().toByteArray());
            synchronized (lock) {
                replyBytes = recent.get(command.commandId());
                MetadataImage next = image;
                if (replyBytes == null) {
                    MetadataApplier.Outcome outcome = MetadataApplier.apply(image, command);
                    replyBytes = MetadataCodec.encode(outcome.reply());
                    recent = recent.with(command.commandId(), replyBytes);
                    next = outcome.image();
                }
                updateLastAppliedTermIndex(termIndex);
                publish(next.withAppliedIndex(termIndex.getIndex()));
            }
        } catch (Wire.CorruptException e) {
            // Every node fails the same entry the same way, so state stays identical; the proposer sees the error.
            LOG.error("Skipping undecodable metadata command at {}: {}", termIndex, e.getMessage());
            updateLastAppliedTermIndex(termIndex);
            waiters.onApplied(termIndex.getIndex());
            return CompletableFuture.failedFuture(e);
        }
        waiters.onApplied(termIndex.getIndex());
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(replyBytes)));
    }

    /** Answers a validate-only command: what applying it now would answer, without applying it. */
    @Override
    public CompletableFuture<Message> query(Message request) {
        try {
            MetadataCommand command = MetadataCodec.decodeCommand(request.getContent().toByteArray());
            CommandReply reply = MetadataApplier.apply(image, command).reply();
            return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(MetadataCodec.encode(reply))));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void notifyTermIndexUpdated(long term, long index) {
        super.notifyTermIndexUpdated(term, index);
        waiters.onApplied(index);
    }

    /**
     * Runs {@code listener} each time this node becomes a leader ready to take commands. It runs on a
     * Raft thread, so it must only hand work off.
     */
    void addLeaderReadyListener(Runnable listener) {
        leaderReadyListeners.add(listener);
    }

    @Override
    public void notifyLeaderReady() {
        leaderReadyListeners.forEach(Runnable::run);
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
        int controllerId = newLeaderId == null ? -1 : MetadataService.nodeIdOf(newLeaderId);
        synchronized (lock) {
            if (image.controllerId().orElse(-1) != controllerId) {
                publish(image.withControllerId(controllerId));
            }
        }
    }

    @Override
    public long takeSnapshot() throws IOException {
        SnapshotCodec.State state;
        TermIndex last;
        synchronized (lock) {
            state = new SnapshotCodec.State(image, recent);
            last = getLastAppliedTermIndex();
        }
        if (last == null || last.getIndex() < 0) {
            return RaftLog.INVALID_LOG_INDEX;
        }
        Path file = storage.getSnapshotFile(last.getTerm(), last.getIndex()).toPath();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, SnapshotCodec.encode(state));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file.toFile());
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file, md5), last));
        return last.getIndex();
    }

    @Override
    public void close() throws IOException {
        waiters.close(new IllegalStateException("metadata state machine closed"));
        super.close();
    }

    private void load(SingleFileSnapshotInfo snapshot) throws IOException {
        if (snapshot == null) {
            return;
        }
        Path path = snapshot.getFile().getPath();
        MD5Hash md5 = snapshot.getFile().getFileDigest();
        if (md5 != null) {
            MD5FileUtil.verifySavedMD5(path.toFile(), md5);
        }
        TermIndex last = SimpleStateMachineStorage.getTermIndexFromSnapshotFile(path.toFile());
        SnapshotCodec.State state;
        try {
            state = SnapshotCodec.decode(Files.readAllBytes(path));
        } catch (Wire.CorruptException e) {
            throw new IOException("Cannot read metadata snapshot " + path + ": " + e.getMessage(), e);
        }
        synchronized (lock) {
            recent = state.recent();
            setLastAppliedTermIndex(last);
            publish(state.image().withControllerId(image.controllerId().orElse(-1)));
        }
        waiters.onApplied(last.getIndex());
    }

    /** Replaces the image and tells the listeners; the caller holds {@code lock}. */
    private void publish(MetadataImage next) {
        assert Thread.holdsLock(lock);
        MetadataImage previous = image;
        image = next;
        for (MetadataListener listener : listeners) {
            try {
                listener.onMetadataUpdate(previous, next);
            } catch (RuntimeException e) {
                LOG.error("Metadata listener {} failed on the image at index {}", listener, next.appliedIndex(), e);
            }
        }
    }
}
