package io.millrace.broker.network;

import io.millrace.protocol.ApiCodec;
import io.millrace.protocol.ApiKey;
import io.millrace.protocol.EncodedResponse;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.ErrorMapper;
import io.millrace.protocol.MillraceException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.TooLongFrameException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kafka protocol connection: decodes each frame, dispatches it to exactly one handler and
 * writes the responses strictly in request order, which Kafka clients require even though
 * handlers complete out of order (a produce waiting for fsync, a long-poll fetch).
 *
 * <p>Requests are pipelined up to {@link #maxPendingRequests}; beyond that, or while more than
 * {@link #maxInFlightBytes} of responses are queued in the socket, the connection stops reading
 * until the backlog drains. The count includes file regions, which Netty's own writability
 * accounting treats as zero bytes.
 *
 * <p>Thread-safety: every field is confined to the channel's event loop; handler completions that
 * arrive on other threads are handed back to it.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionHandler.class);
    /** At shutdown, how long a half-closed connection stays open for the client to read its last responses. */
    private static final long HALF_CLOSE_GRACE_MS = 300;

    private final HandlerRegistry registry;
    private final IntFunction<EncodedResponse> unsupportedApiVersions;
    private final RequestMetrics metrics;
    private final String listenerName;
    private final int maxPendingRequests;
    private final long maxInFlightBytes;
    private final ArrayDeque<PendingResponse> pending = new ArrayDeque<>();
    private long bytesInFlight;
    private boolean closing;
    /** Set at shutdown: read nothing more, answer what was read, then close. */
    private boolean draining;
    private ChannelHandlerContext context;
    private volatile Channel channel;

    ConnectionHandler(HandlerRegistry registry, IntFunction<EncodedResponse> unsupportedApiVersions,
                      RequestMetrics metrics, String listenerName, int maxPendingRequests, long maxInFlightBytes) {
        this.registry = registry;
        this.unsupportedApiVersions = unsupportedApiVersions;
        this.metrics = metrics;
        this.listenerName = listenerName;
        this.maxPendingRequests = maxPendingRequests;
        this.maxInFlightBytes = maxInFlightBytes;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        metrics.onConnectionOpened();
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        metrics.onConnectionClosed();
        closing = true;
        for (PendingResponse slot : pending) {
            slot.discard();
        }
        pending.clear();
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        if (closing) {
            frame.release();
            return;
        }
        long receivedNanos = System.nanoTime();
        RequestDispatch.Parsed parsed;
        try {
            parsed = RequestDispatch.parse(registry, frame.nioBuffer(), unsupportedApiVersions);
        } catch (RuntimeException malformed) {
            frame.release();
            closeForBadRequest(ctx, malformed);
            return;
        }
        metrics.onRequest(parsed.apiKey(), frame.readableBytes());
        if (parsed.immediateResponse() != null) {
            frame.release();
            PendingResponse slot = enqueue(parsed.apiKey(), receivedNanos);
            slot.complete(parsed.immediateResponse());
            drain(ctx);
            return;
        }
        dispatch(ctx, parsed, frame, receivedNanos);
    }

    private void dispatch(ChannelHandlerContext ctx, RequestDispatch.Parsed parsed, ByteBuf frame, long receivedNanos) {
        PendingResponse slot = enqueue(parsed.apiKey(), receivedNanos);
        RequestContext context = new RequestContext(parsed.apiKey(), parsed.apiVersion(), parsed.correlationId(),
                parsed.clientId(), (InetSocketAddress) ctx.channel().remoteAddress(), listenerName, receivedNanos);
        CompletionStage<EncodedResponse> response;
        try {
            response = invoke(parsed.handler(), context, parsed.body());
        } catch (MillraceException invalid) {
            // The body did not decode: Kafka closes the connection for an unparseable request.
            frame.release();
            pending.removeLast();
            closeForBadRequest(ctx, invalid);
            return;
        }
        response.whenComplete((encoded, failure) -> {
            frame.release();
            if (ctx.executor().inEventLoop()) {
                onHandled(ctx, slot, encoded, failure);
            } else {
                ctx.executor().execute(() -> onHandled(ctx, slot, encoded, failure));
            }
        });
    }

    private static <Q, R> CompletionStage<EncodedResponse> invoke(ApiHandler<Q, R> handler, RequestContext context,
                                                                ByteBuffer body) {
        ApiCodec<Q, R> codec = handler.codec();
        Q request = codec.decodeRequest(body, context.apiVersion());
        CompletionStage<R> stage;
        try {
            stage = handler.handle(context, request);
        } catch (RuntimeException failure) {
            stage = CompletableFuture.failedFuture(failure);
        }
        return stage.handle((response, failure) -> {
            if (failure != null && unwrap(failure) instanceof CloseConnectionException close) {
                throw close;
            }
            if (failure != null) {
                logHandlerFailure(context, failure);
                return codec.encodeErrorResponse(request, context.apiVersion(), context.correlationId(),
                        ErrorMapper.codeOf(failure));
            }
            return response == null ? null
                    : codec.encodeResponse(response, context.apiVersion(), context.correlationId());
        });
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static void logHandlerFailure(RequestContext context, Throwable failure) {
        if (ErrorMapper.codeOf(failure) == ErrorCode.UNKNOWN_SERVER_ERROR) {
            log.warn("[{} v{} from {}] failed", context.apiKey(), context.apiVersion(), context.clientAddress(), failure);
        }
    }

    private void onHandled(ChannelHandlerContext ctx, PendingResponse slot, EncodedResponse encoded, Throwable failure) {
        if (closing) {
            // The connection went away while the handler worked; nobody will write this response.
            if (encoded != null) {
                encoded.release();
            }
            return;
        }
        if (failure != null) {
            metrics.onRequestFailed(slot.apiKey);
            if (unwrap(failure) instanceof CloseConnectionException close) {
                log.debug("[{}] closing the connection from {}: {}", slot.apiKey, ctx.channel().remoteAddress(),
                        close.getMessage());
            } else {
                // Encoding itself failed; the client cannot be answered coherently.
                log.warn("[{}] could not encode a response; closing the connection", slot.apiKey, failure);
            }
            closing = true;
            ctx.close();
            return;
        }
        slot.complete(encoded);
        drain(ctx);
    }

    private PendingResponse enqueue(ApiKey apiKey, long receivedNanos) {
        PendingResponse slot = new PendingResponse(apiKey, receivedNanos);
        pending.addLast(slot);
        updateAutoRead();
        return slot;
    }

    /** Writes every completed response at the head of the queue, preserving request order. */
    private void drain(ChannelHandlerContext ctx) {
        boolean wrote = false;
        while (!pending.isEmpty() && pending.peekFirst().done) {
            PendingResponse slot = pending.pollFirst();
            if (slot.response == null) {
                continue; // acks=0 produce: no response on the wire
            }
            long size = slot.response.sizeBytes();
            bytesInFlight += size;
            metrics.onResponse(slot.apiKey, slot.receivedNanos, System.nanoTime(), size);
            ChannelFuture last = null;
            for (Object part : slot.response.parts()) {
                last = ctx.write(part);
            }
            last.addListener(f -> {
                onWritten(size);
                if (!f.isSuccess()) {
                    ctx.close();
                }
            });
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
        updateAutoRead();
        closeIfDrained();
    }

    private void onWritten(long size) {
        bytesInFlight -= size;
        updateAutoRead();
        closeIfDrained();
    }

    /**
     * Graceful shutdown of this connection: stop reading, let every request already read get its
     * response written, then close. Safe from any thread.
     */
    void drainAndClose() {
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        ch.eventLoop().execute(() -> {
            draining = true;
            ch.config().setAutoRead(false);
            closeIfDrained();
        });
    }

    private void closeIfDrained() {
        if (draining && !closing && pending.isEmpty() && bytesInFlight == 0 && context != null) {
            closing = true;
            ChannelHandlerContext ctx = context;
            if (ctx.channel() instanceof DuplexChannel duplex) {
                // Closing with unread requests in the receive buffer sends a reset, which can make the
                // client drop responses it has not read yet; a half-close lets it read them first.
                duplex.shutdownOutput().addListener(f ->
                        ctx.executor().schedule(() -> ctx.close(), HALF_CLOSE_GRACE_MS, TimeUnit.MILLISECONDS));
            } else {
                ctx.close();
            }
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
        channel = ctx.channel();
    }

    private void updateAutoRead() {
        if (channel == null) {
            return;
        }
        boolean overloaded = draining || pending.size() >= maxPendingRequests || bytesInFlight > maxInFlightBytes;
        if (channel.config().isAutoRead() == overloaded) {
            channel.config().setAutoRead(!overloaded);
        }
    }

    private void closeForBadRequest(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("Closing connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        closing = true;
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            log.debug("Closing connection from {}: {}", ctx.channel().remoteAddress(), cause.getMessage());
        } else if (!(cause instanceof java.io.IOException)) {
            log.warn("Closing connection from {} after an unexpected error", ctx.channel().remoteAddress(), cause);
        }
        closing = true;
        ctx.close();
    }

    /** A response slot in request order; completed on the event loop. */
    private static final class PendingResponse {
        final ApiKey apiKey;
        final long receivedNanos;
        EncodedResponse response;
        boolean done;

        PendingResponse(ApiKey apiKey, long receivedNanos) {
            this.apiKey = apiKey;
            this.receivedNanos = receivedNanos;
        }

        void complete(EncodedResponse encoded) {
            response = encoded;
            done = true;
        }

        void discard() {
            if (response != null) {
                response.release();
            }
        }
    }
}
