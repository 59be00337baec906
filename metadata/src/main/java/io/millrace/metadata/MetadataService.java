package io.millrace.metadata;

import io.millrace.metadata.MetadataCommand.AllocateProducerIds;
import io.millrace.metadata.MetadataCommand.AlterTopicConfigs;
import io.millrace.metadata.MetadataCommand.CreatePartitions;
import io.millrace.metadata.MetadataCommand.CreateTopics;
import io.millrace.metadata.MetadataCommand.DeleteTopics;
import io.millrace.metadata.MetadataCommand.InitializeCluster;
import io.millrace.metadata.MetadataCommand.RegisterBroker;
import io.millrace.metadata.MetadataCommand.TopicCreation;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.MillraceException;
import io.millrace.protocol.Time;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's member of the metadata quorum: a Ratis server running the
 * {@link MetadataStateMachine} and a Ratis client that proposes commands (Ratis routes them to
 * the leader, so any node may propose). Every operation's future completes only after its
 * command is committed and applied on this node, so the caller's next {@link #image()} sees it.
 * Validate-only operations are answered by the leader's state machine as a read-only query.
 *
 * <p>Thread-safety: safe for concurrent use. Futures complete on the "metadata-callbacks" thread,
 * never on Raft threads, so a slow dependent stage delays other callbacks but never the log.
 */
public final class MetadataService implements AutoCloseable {
    static final RaftGroupId GROUP_ID =
            RaftGroupId.valueOf(UUID.nameUUIDFromBytes("millrace-metadata".getBytes(StandardCharsets.UTF_8)));
    private static final Logger LOG = LoggerFactory.getLogger(MetadataService.class);
    private static final long READY_RETRY_DELAY_MS = 100;
    private static final long LEADER_READY_WAIT_MS = 500;

    private final MetadataConfig config;
    private final Time time;
    private final Random random;
    private final MetadataStateMachine stateMachine;
    private final RaftServer server;
    private final RaftClient client;
    private final ExecutorService callbackThread;
    private final Executor callbacks;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final long startedMs;
    private final ClientId localClientId = ClientId.randomId();
    private final AtomicLong localCallIds = new AtomicLong();
    private volatile boolean closed;

    private MetadataService(MetadataConfig config, Time time, Random random, MetadataStateMachine stateMachine,
                            RaftServer server, RaftClient client, ExecutorService callbackThread) {
        this.config = config;
        this.time = time;
        this.random = random;
        this.stateMachine = stateMachine;
        this.server = server;
        this.client = client;
        this.callbackThread = callbackThread;
        this.callbacks = task -> {
            try {
                callbackThread.execute(task);
            } catch (RejectedExecutionException e) {
                task.run(); // closing: finish the future rather than leave it pending
            }
        };
        this.startedMs = time.milliseconds();
    }

    /** Starts this node's Raft server and client; see {@link #awaitReady()} before serving. */
    public static MetadataService start(MetadataConfig config, Time time) {
        return start(config, time, new Random());
    }

    /** As {@link #start(MetadataConfig, Time)}, with the randomness for ids and placement injected. */
    static MetadataService start(MetadataConfig config, Time time, Random random) {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(random, "random");
        MetadataStateMachine stateMachine = new MetadataStateMachine();
        RaftServer server = null;
        RaftClient client = null;
        try {
            server = RaftServer.newBuilder()
                    .setServerId(peerIdOf(config.nodeId()))
                    .setGroup(RatisSetup.group(config))
                    .setStateMachine(stateMachine)
                    .setProperties(RatisSetup.serverProperties(config))
                    .setOption(RaftStorage.StartupOption.RECOVER)
                    .build();
            server.start();
            client = RatisSetup.client(config);
        } catch (IOException | RuntimeException e) {
            closeQuietly(client);
            closeQuietly(server);
            throw e instanceof IOException io ? new UncheckedIOException("Cannot start metadata node "
                    + config.nodeId() + " in " + config.dir(), io) : (RuntimeException) e;
        }
        ExecutorService callbackThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "metadata-callbacks-" + config.nodeId());
            t.setDaemon(true);
            return t;
        });
        MetadataService service = new MetadataService(config, time, random, stateMachine, server, client,
                callbackThread);
        service.startBarrierWhenLeaderKnown();
        return service;
    }

    /**
     * Completes once a leader is known and this node has applied everything committed before it
     * started, so the image is complete. Implemented as a barrier: a no-op-if-set
     * InitializeCluster command, whose index is past every earlier commit, retried until the
     * quorum answers.
     */
    public CompletableFuture<Void> awaitReady() {
        return ready.copy();
    }

    /** The latest applied image; never blocks. */
    public MetadataImage image() {
        return stateMachine.image();
    }

    /** Adds a listener called after every new image (see {@link MetadataListener}). */
    public void addListener(MetadataListener listener) {
        stateMachine.addListener(Objects.requireNonNull(listener, "listener"));
    }

    /** This node's configuration. */
    public MetadataConfig config() {
        return config;
    }

    /** Registers (or re-registers) a broker as unfenced. */
    public CompletableFuture<BrokerInfo> registerBroker(int id, String host, int port, String rack) {
        BrokerInfo broker = new BrokerInfo(id, host, port, rack, false);
        return propose(new RegisterBroker(newCommandId(), broker)).thenApply(reply -> {
            requireSuccess(((CommandReply.Error) reply).result());
            return broker;
        });
    }

    /** Creates topics; each result says whether its topic was (or, validate-only, would be) created. */
    public CompletableFuture<List<CreateTopicResult>> createTopics(List<NewTopic> topics, boolean validateOnly) {
        if (topics.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        List<TopicCreation> creations = topics.stream().map(this::resolve).toList();
        CreateTopics command = new CreateTopics(newCommandId(), creations);
        CompletableFuture<CommandReply> reply = validateOnly ? query(command) : propose(command);
        return reply.thenApply(r -> {
            List<CreateTopicResult> results = ((CommandReply.Created) r).results();
            return validateOnly ? results.stream().map(MetadataService::withoutId).toList() : results;
        });
    }

    /** Deletes topics by name; unknown names fail with UNKNOWN_TOPIC_OR_PARTITION. */
    public CompletableFuture<List<TopicResult>> deleteTopics(List<String> names) {
        if (names.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        return propose(new DeleteTopics(newCommandId(), names, List.of()))
                .thenApply(r -> ((CommandReply.Topics) r).results());
    }

    /** Deletes topics by id; unknown ids fail with UNKNOWN_TOPIC_ID. */
    public CompletableFuture<List<TopicResult>> deleteTopicsById(List<UUID> ids) {
        if (ids.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        return propose(new DeleteTopics(newCommandId(), List.of(), ids))
                .thenApply(r -> ((CommandReply.Topics) r).results());
    }

    /** Adds partitions to topics, with the replication factor of their existing partitions. */
    public CompletableFuture<List<TopicResult>> createPartitions(List<PartitionIncrease> increases,
                                                                 boolean validateOnly) {
        if (increases.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        CreatePartitions command = new CreatePartitions(newCommandId(), increases, nonNegative(), nonNegative());
        return (validateOnly ? query(command) : propose(command)).thenApply(r -> ((CommandReply.Topics) r).results());
    }

    /**
     * Changes a topic's config overrides: sets {@code set} and removes {@code delete}, or, with
     * {@code replaceAll} (legacy AlterConfigs), makes {@code set} the whole set of overrides.
     */
    public CompletableFuture<ErrorResult> alterTopicConfigs(String topic, Map<String, String> set, Set<String> delete,
                                                            boolean replaceAll, boolean validateOnly) {
        AlterTopicConfigs command = new AlterTopicConfigs(newCommandId(), topic, set, delete, replaceAll);
        return (validateOnly ? query(command) : propose(command)).thenApply(r -> ((CommandReply.Error) r).result());
    }

    /** Hands a broker the next block of {@link ProducerIdBlock#BLOCK_SIZE} producer ids. */
    public CompletableFuture<ProducerIdBlock> allocateProducerIds(int brokerId) {
        return propose(new AllocateProducerIds(newCommandId(), brokerId)).thenApply(reply -> {
            if (reply instanceof CommandReply.Error e) {
                requireSuccess(e.result());
            }
            return ((CommandReply.ProducerIds) reply).block();
        });
    }

    /** Asks Ratis to write a snapshot now; returns its index. For tests and operators. */
    long takeSnapshot() throws IOException {
        RaftClientReply reply = client.getSnapshotManagementApi().create(30_000);
        if (!reply.isSuccess()) {
            throw new IOException("snapshot failed: " + reply.getException());
        }
        return reply.getLogIndex();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ready.completeExceptionally(new MillraceException(ErrorCode.BROKER_NOT_AVAILABLE, "metadata service closed"));
        closeQuietly(client);
        closeQuietly(server);
        callbackThread.shutdown();
        try {
            if (!callbackThread.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("Metadata callbacks of node {} did not finish within 10 s", config.nodeId());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Proposes a command; the reply arrives once it is committed and applied on this node. */
    CompletableFuture<CommandReply> propose(MetadataCommand command) {
        if (closed) {
            return CompletableFuture.failedFuture(closedException());
        }
        Message message = Message.valueOf(ByteString.copyFrom(MetadataCodec.encode(command)));
        CompletableFuture<CommandReply> applied = send(message).thenCompose(reply -> {
            CommandReply decoded = decode(reply);
            return stateMachine.waiters().await(reply.getLogIndex()).thenApply(v -> decoded);
        });
        return onCallbackThread(applied);
    }

    /**
     * On the leader, the command goes straight to the local server: no RPC to itself, and no gRPC
     * client to start (a lone node's readiness barrier and registration take this path, which is
     * much of what keeps its start under a second). Anywhere else, or if the local server turns
     * out not to lead after all, the client routes it to the leader and retries. Commands carry
     * ids the state machine deduplicates, so a local attempt followed by the client's cannot apply
     * twice.
     */
    private CompletableFuture<RaftClientReply> send(Message message) {
        RaftServer.Division division = localLeader();
        if (division == null) {
            return client.async().send(message);
        }
        RaftClientRequest request = RaftClientRequest.newBuilder()
                .setClientId(localClientId)
                .setServerId(division.getId())
                .setGroupId(GROUP_ID)
                .setCallId(localCallIds.incrementAndGet())
                .setMessage(message)
                .setType(RaftClientRequest.writeRequestType())
                .build();
        CompletableFuture<RaftClientReply> local;
        try {
            local = division.getRaftServer().submitClientRequestAsync(request);
        } catch (IOException | RuntimeException e) {
            return client.async().send(message);
        }
        return local.handle((reply, error) -> error == null && !lostLeadership(reply)
                        ? CompletableFuture.completedFuture(reply)
                        : client.async().send(message))
                .thenCompose(reply -> reply);
    }

    private static boolean lostLeadership(RaftClientReply reply) {
        return reply.getNotLeaderException() != null || reply.getException() instanceof LeaderNotReadyException;
    }

    /** This node's Raft division if it leads and has committed its first entry of the term, else null. */
    private RaftServer.Division localLeader() {
        try {
            RaftServer.Division division = server.getDivision(GROUP_ID);
            return division.getInfo().isLeaderReady() ? division : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private CompletableFuture<CommandReply> query(MetadataCommand command) {
        if (closed) {
            return CompletableFuture.failedFuture(closedException());
        }
        Message message = Message.valueOf(ByteString.copyFrom(MetadataCodec.encode(command)));
        return onCallbackThread(client.async().sendReadOnly(message).thenApply(MetadataService::decode));
    }

    private static CommandReply decode(RaftClientReply reply) {
        if (!reply.isSuccess()) {
            throw new CompletionException(reply.getException());
        }
        return MetadataCodec.decodeReply(reply.getMessage().getContent().toByteArray());
    }

    private <T> CompletableFuture<T> onCallbackThread(CompletableFuture<T> source) {
        CompletableFuture<T> result = new CompletableFuture<>();
        source.whenCompleteAsync((value, error) -> {
            if (error == null) {
                result.complete(value);
            } else {
                result.completeExceptionally(toDomainException(error));
            }
        }, callbacks);
        return result;
    }

    /**
     * Proposes the readiness barrier once a leader is known (learned through the state machine's
     * leader notification), so startup does not spam a leaderless quorum with requests. When the
     * leader is this node, it waits until that leader is ready to take commands, so the barrier
     * goes to the local server directly (see {@link #send}).
     */
    private void startBarrierWhenLeaderKnown() {
        AtomicBoolean started = new AtomicBoolean();
        Runnable startOnce = () -> {
            if (started.compareAndSet(false, true)) {
                callbacks.execute(this::proposeReadinessBarrier);
            }
        };
        stateMachine.addLeaderReadyListener(startOnce);
        MetadataListener onLeader = (previous, current) -> {
            if (current.controllerId().isEmpty()) {
                return;
            }
            if (current.controllerId().getAsInt() != config.nodeId() || localLeader() != null) {
                startOnce.run();
            } else {
                // Normally notifyLeaderReady starts it first; this is the safety net if that was missed.
                CompletableFuture.delayedExecutor(LEADER_READY_WAIT_MS, TimeUnit.MILLISECONDS).execute(startOnce);
            }
        };
        stateMachine.addListener(onLeader);
        onLeader.onMetadataUpdate(MetadataImage.EMPTY, stateMachine.image());
    }

    private void proposeReadinessBarrier() {
        propose(new InitializeCluster(newCommandId(), newClusterId())).whenComplete((reply, error) -> {
            if (error == null) {
                LOG.info("Metadata node {} ready at index {} after {} ms", config.nodeId(),
                        image().appliedIndex(), time.milliseconds() - startedMs);
                ready.complete(null);
            } else if (!closed) {
                LOG.debug("Metadata node {} not ready yet: {}", config.nodeId(), error.getMessage());
                CompletableFuture.delayedExecutor(READY_RETRY_DELAY_MS, TimeUnit.MILLISECONDS, callbacks)
                        .execute(this::proposeReadinessBarrier);
            }
        });
    }

    private TopicCreation resolve(NewTopic topic) {
        boolean manual = !topic.assignments().isEmpty();
        int partitions = !manual && topic.numPartitions() == -1 ? config.defaultNumPartitions() : topic.numPartitions();
        short rf = !manual && topic.replicationFactor() == -1
                ? config.defaultReplicationFactor() : topic.replicationFactor();
        return new TopicCreation(topic.name(), newTopicId(), partitions, rf, topic.assignments(), topic.configs(),
                nonNegative(), nonNegative());
    }

    private static CreateTopicResult withoutId(CreateTopicResult r) {
        return new CreateTopicResult(r.name(), r.error(), r.errorMessage(), null, r.numPartitions(),
                r.replicationFactor(), r.configs());
    }

    private static void requireSuccess(ErrorResult result) {
        if (!result.isSuccess()) {
            throw new MillraceException(result.error(), result.errorMessage());
        }
    }

    private MillraceException toDomainException(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof java.util.concurrent.ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof MillraceException m) {
            return m;
        }
        if (cause instanceof StateMachineException) {
            return new MillraceException(ErrorCode.UNKNOWN_SERVER_ERROR, "Metadata command failed: "
                    + cause.getMessage(), cause);
        }
        if (closed) {
            return closedException();
        }
        return new MillraceException(ErrorCode.REQUEST_TIMED_OUT, "The metadata quorum did not commit the change: "
                + cause, cause);
    }

    private static MillraceException closedException() {
        return new MillraceException(ErrorCode.BROKER_NOT_AVAILABLE, "metadata service closed");
    }

    private UUID newCommandId() {
        return new UUID(random.nextLong(), random.nextLong());
    }

    /**
     * A random version-4 UUID that, like Kafka's {@code Uuid.randomUuid()}, is never all zeros
     * and never starts with '-' in its base64url form (which command-line tools would misread).
     */
    private UUID newTopicId() {
        while (true) {
            long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
            long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
            if ((msb >>> 58) != 62) {
                return new UUID(msb, lsb);
            }
        }
    }

    private String newClusterId() {
        UUID id = newTopicId();
        byte[] bytes = java.nio.ByteBuffer.allocate(16).putLong(id.getMostSignificantBits())
                .putLong(id.getLeastSignificantBits()).array();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private int nonNegative() {
        return random.nextInt(Integer.MAX_VALUE);
    }

    static RaftPeerId peerIdOf(int nodeId) {
        return RaftPeerId.valueOf(Integer.toString(nodeId));
    }

    static int nodeIdOf(RaftPeerId peerId) {
        return Integer.parseInt(peerId.toString());
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("Failed to close {}: {}", closeable, e.toString());
        }
    }
}
