package io.millrace.broker.network;

import io.millrace.broker.BrokerConfig;
import io.millrace.protocol.EncodedResponse;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka protocol listener: one Netty server channel per configured listener, epoll on Linux
 * with an NIO fallback. Each connection gets a {@link FrameDecoder} that rejects a frame longer
 * than {@code socket.request.max.bytes} as soon as its length prefix is read (before any
 * allocation for it), then a {@link ConnectionHandler}.
 *
 * <p>Thread-safety: start and close are called once each from the broker's lifecycle thread.
 */
public final class KafkaServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaServer.class);
    private static final int MAX_PENDING_REQUESTS_PER_CONNECTION = 64;
    private static final long MAX_IN_FLIGHT_BYTES_PER_CONNECTION = 64L * 1024 * 1024;

    /** How long a shutdown waits for in-flight requests to be answered. */
    static final long DRAIN_TIMEOUT_MS = 5_000;

    private final BrokerConfig config;
    private final HandlerRegistry registry;
    private final IntFunction<EncodedResponse> unsupportedApiVersions;
    private final RequestMetrics metrics;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final Class<? extends ServerChannel> channelClass;
    private final List<Channel> serverChannels = new ArrayList<>();
    private final ChannelGroup connections = new DefaultChannelGroup("millrace-connections", GlobalEventExecutor.INSTANCE);

    public KafkaServer(BrokerConfig config, HandlerRegistry registry,
                       IntFunction<EncodedResponse> unsupportedApiVersions,
                       RequestMetrics metrics) {
        this.config = config;
        this.unsupportedApiVersions = unsupportedApiVersions;
        this.registry = registry;
        this.metrics = metrics;
        boolean epoll = Epoll.isAvailable();
        var ioHandler = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.bossGroup = new MultiThreadIoEventLoopGroup(1, new NamedThreadFactory("millrace-accept"), ioHandler);
        this.workerGroup = new MultiThreadIoEventLoopGroup(0, new NamedThreadFactory("millrace-network"), ioHandler);
        this.channelClass = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** Binds every listener; returns once they accept connections. */
    public void start() throws InterruptedException {
        for (BrokerConfig.Endpoint endpoint : config.listeners()) {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(bossGroup, workerGroup)
                    .channel(channelClass)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            connections.add(ch);
                            ch.pipeline().addLast("frames", new FrameDecoder(config.socketRequestMaxBytes()));
                            ch.pipeline().addLast("requests", new ConnectionHandler(registry, unsupportedApiVersions, metrics, endpoint.name(),
                                    MAX_PENDING_REQUESTS_PER_CONNECTION, MAX_IN_FLIGHT_BYTES_PER_CONNECTION));
                        }
                    });
            InetSocketAddress address = endpoint.host() == null || endpoint.host().isEmpty()
                    ? new InetSocketAddress(endpoint.port())
                    : new InetSocketAddress(endpoint.host(), endpoint.port());
            Channel channel = bootstrap.bind(address).sync().channel();
            serverChannels.add(channel);
            log.debug("Listening for {} on {}", endpoint.name(), channel.localAddress());
        }
    }

    /** The port the first listener is bound to (differs from the configured one when that was 0). */
    public int boundPort() {
        return ((InetSocketAddress) serverChannels.get(0).localAddress()).getPort();
    }

    /**
     * Stops accepting; every open connection stops reading and closes once the requests it has
     * read are answered (an acks=all produce waiting for its replicas, a long-poll fetch), for at
     * most {@link #DRAIN_TIMEOUT_MS}; then whatever is still open is closed.
     */
    @Override
    public void close() {
        for (Channel channel : serverChannels) {
            channel.close().syncUninterruptibly();
        }
        for (Channel connection : connections) {
            ConnectionHandler handler = connection.pipeline().get(ConnectionHandler.class);
            if (handler != null) {
                handler.drainAndClose();
            }
        }
        if (!connections.newCloseFuture().awaitUninterruptibly(DRAIN_TIMEOUT_MS)) {
            log.warn("{} connection(s) still had requests in flight after {} ms; closing them", connections.size(),
                    DRAIN_TIMEOUT_MS);
        }
        connections.close().awaitUninterruptibly(1_000);
        bossGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        workerGroup.shutdownGracefully(0, 5_000, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }
}
