package io.millrace.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.broker.handler.ApiVersionsHandler;
import io.millrace.protocol.ErrorCode;
import io.millrace.protocol.MillraceException;
import io.millrace.protocol.codec.InitProducerIdCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConnectionHandlerTest {

    private static final int MAX_FRAME = 1024;
    private static final short IPI_VERSION = ApiKeys.INIT_PRODUCER_ID.latestVersion(false);  // the broker serves stable versions only
    private static final short API_VERSIONS_VERSION = ApiKeys.API_VERSIONS.latestVersion();

    private ManualInitProducerIdHandler manual;
    private EmbeddedChannel channel;

    /** A test-only handler whose responses the test completes by hand, in any order. */
    private static final class ManualInitProducerIdHandler
            implements ApiHandler<InitProducerIdCodec.Request, InitProducerIdCodec.Response> {
        private final InitProducerIdCodec codec = new InitProducerIdCodec();
        final List<CompletableFuture<InitProducerIdCodec.Response>> futures = new ArrayList<>();
        final List<RequestContext> contexts = new ArrayList<>();

        @Override
        public InitProducerIdCodec codec() {
            return codec;
        }

        @Override
        public CompletionStage<InitProducerIdCodec.Response> handle(RequestContext context,
                                                                   InitProducerIdCodec.Request request) {
            CompletableFuture<InitProducerIdCodec.Response> future = new CompletableFuture<>();
            futures.add(future);
            contexts.add(context);
            return future;
        }
    }

    @BeforeEach
    void setUp() {
        HandlerRegistry registry = new HandlerRegistry();
        ApiVersionsHandler apiVersions = new ApiVersionsHandler(registry);
        manual = new ManualInitProducerIdHandler();
        registry.register(apiVersions).register(manual);
        ConnectionHandler handler = new ConnectionHandler(registry, apiVersions::unsupportedVersionResponse,
                new RequestMetrics(new PrometheusRegistry()), "PLAINTEXT", 100, 1 << 20);
        // ConnectionHandler casts the remote address to InetSocketAddress, which EmbeddedChannel's is not.
        channel = new EmbeddedChannel(new FrameDecoder(MAX_FRAME), handler) {
            @Override
            protected SocketAddress remoteAddress0() {
                return new InetSocketAddress("127.0.0.1", 40000);
            }
        };
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    // ---- requests ----------------------------------------------------------------------------

    private static ByteBuf sized(ByteBuffer frame) {
        ByteBuf buf = Unpooled.buffer(4 + frame.remaining());
        buf.writeInt(frame.remaining());
        buf.writeBytes(frame);
        return buf;
    }

    private static ByteBuf apiVersionsRequest(short version, int correlationId) {
        return sized(new ApiVersionsRequest.Builder().build(version)
                .serializeWithHeader(new RequestHeader(ApiKeys.API_VERSIONS, version, "client", correlationId)));
    }

    private static ByteBuf initProducerIdRequest(int correlationId) {
        return sized(new InitProducerIdRequest.Builder(new InitProducerIdRequestData()
                .setTransactionalId(null).setTransactionTimeoutMs(60_000)).build(IPI_VERSION)
                .serializeWithHeader(new RequestHeader(ApiKeys.INIT_PRODUCER_ID, IPI_VERSION, "client", correlationId)));
    }

    // ---- responses ---------------------------------------------------------------------------

    private record Frame(int correlationId, ByteBuffer body) {
    }

    /** Every response frame written so far, in write order (all outbound bytes, split by size prefix). */
    private List<Frame> responses(List<ApiKeys> apiKeys, List<Short> versions) {
        channel.runPendingTasks();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Object msg;
        while ((msg = channel.readOutbound()) != null) {
            try {
                assertThat(msg).isNotInstanceOf(FileRegion.class);
                ByteBuf buf = (ByteBuf) msg;
                byte[] bytes = new byte[buf.readableBytes()];
                buf.getBytes(buf.readerIndex(), bytes);
                out.writeBytes(bytes);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
        ByteBuffer all = ByteBuffer.wrap(out.toByteArray());
        List<Frame> frames = new ArrayList<>();
        int i = 0;
        while (all.hasRemaining()) {
            int size = all.getInt();
            assertThat(size).isLessThanOrEqualTo(all.remaining());
            ByteBuffer frame = all.slice(all.position(), size);
            all.position(all.position() + size);
            assertThat(i).as("more responses than expected").isLessThan(apiKeys.size());
            ResponseHeader header = ResponseHeader.parse(frame, apiKeys.get(i).responseHeaderVersion(versions.get(i)));
            frames.add(new Frame(header.correlationId(), frame.slice()));
            i++;
        }
        assertThat(frames).as("response count").hasSize(apiKeys.size());
        return frames;
    }

    private static <T extends AbstractResponse> T body(Frame frame, ApiKeys apiKey, short version) {
        ByteBuffer buffer = frame.body().duplicate();
        @SuppressWarnings("unchecked")
        T response = (T) AbstractResponse.parseResponse(apiKey, new ByteBufferAccessor(buffer), version);
        assertThat(buffer.hasRemaining()).isFalse();
        return response;
    }

    private void assertNoOutput() {
        channel.runPendingTasks();
        assertThat((Object) channel.readOutbound()).isNull();
    }

    // ---- tests -------------------------------------------------------------------------------

    @Test
    void answersApiVersionsWithTheRegisteredHandlers() {
        channel.writeInbound(apiVersionsRequest(API_VERSIONS_VERSION, 1));

        List<Frame> frames = responses(List.of(ApiKeys.API_VERSIONS), List.of(API_VERSIONS_VERSION));
        assertThat(frames.get(0).correlationId()).isEqualTo(1);
        ApiVersionsResponse response = body(frames.get(0), ApiKeys.API_VERSIONS, API_VERSIONS_VERSION);
        assertThat(response.data().errorCode()).isEqualTo(Errors.NONE.code());
        assertRegisteredRanges(response.data());
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void writesResponsesInRequestOrderWhenTheSecondCompletesFirst() {
        channel.writeInbound(initProducerIdRequest(1));
        channel.writeInbound(initProducerIdRequest(2));
        channel.writeInbound(apiVersionsRequest(API_VERSIONS_VERSION, 3)); // completes at once, but is third
        assertThat(manual.futures).hasSize(2);
        assertThat(manual.contexts).extracting(RequestContext::correlationId).containsExactly(1, 2);
        assertNoOutput();

        manual.futures.get(1).complete(new InitProducerIdCodec.Response(ErrorCode.NONE, 2002L, (short) 2));
        assertNoOutput();

        manual.futures.get(0).complete(new InitProducerIdCodec.Response(ErrorCode.NONE, 1001L, (short) 1));
        List<Frame> frames = responses(List.of(ApiKeys.INIT_PRODUCER_ID, ApiKeys.INIT_PRODUCER_ID, ApiKeys.API_VERSIONS),
                List.of(IPI_VERSION, IPI_VERSION, API_VERSIONS_VERSION));
        assertThat(frames).extracting(Frame::correlationId).containsExactly(1, 2, 3);
        InitProducerIdResponse first = body(frames.get(0), ApiKeys.INIT_PRODUCER_ID, IPI_VERSION);
        assertThat(first.data().producerId()).isEqualTo(1001L);
        InitProducerIdResponse second = body(frames.get(1), ApiKeys.INIT_PRODUCER_ID, IPI_VERSION);
        assertThat(second.data().producerId()).isEqualTo(2002L);
        assertThat(second.data().producerEpoch()).isEqualTo((short) 2);
        ApiVersionsResponse third = body(frames.get(2), ApiKeys.API_VERSIONS, API_VERSIONS_VERSION);
        assertThat(third.data().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void answersApiVersionsAtAnUnknownVersionWithVersionZeroUnsupportedVersion() {
        short version = 99;
        RequestHeader header = new RequestHeader(ApiKeys.API_VERSIONS, version, "client", 7);
        ByteBuffer headerBytes = MessageUtil.toByteBufferAccessor(header.data(), header.headerVersion()).buffer();
        ByteBuffer bodyBytes = MessageUtil.toByteBufferAccessor(new ApiVersionsRequestData()
                .setClientSoftwareName("future-client").setClientSoftwareVersion("9.9"), API_VERSIONS_VERSION).buffer();
        ByteBuffer frame = ByteBuffer.allocate(headerBytes.remaining() + bodyBytes.remaining());
        frame.put(headerBytes).put(bodyBytes).flip();

        channel.writeInbound(sized(frame));

        List<Frame> frames = responses(List.of(ApiKeys.API_VERSIONS), List.of((short) 0));
        assertThat(frames.get(0).correlationId()).isEqualTo(7);
        ApiVersionsResponse response = body(frames.get(0), ApiKeys.API_VERSIONS, (short) 0);
        assertThat(response.data().errorCode()).isEqualTo((short) 35);
        // As Kafka's ApiVersionsRequest.getErrorResponse: only the ApiVersions range, so the client
        // can retry at the highest version both sides know.
        assertThat(response.data().apiKeys()).hasSize(1);
        assertThat(response.data().apiKeys().find(ApiKeys.API_VERSIONS.id).maxVersion())
                .isEqualTo(ApiKeys.API_VERSIONS.latestVersion());
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void closesTheConnectionOnAnUnknownApiKey() {
        ByteBuffer frame = ByteBuffer.allocate(10);
        frame.putShort((short) 999).putShort((short) 0).putInt(5).putShort((short) -1).flip();

        channel.writeInbound(sized(frame));

        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @Test
    void closesTheConnectionOnAKnownApiWithoutAHandler() {
        short version = ApiKeys.METADATA.latestVersion();
        channel.writeInbound(sized(MetadataRequest.Builder.allTopics().build(version)
                .serializeWithHeader(new RequestHeader(ApiKeys.METADATA, version, "client", 6))));

        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @Test
    void closesTheConnectionOnAFrameLongerThanTheMaximum() {
        ByteBuf frame = Unpooled.buffer();
        frame.writeInt(MAX_FRAME + 1);
        frame.writeBytes(new byte[64]);

        channel.writeInbound(frame);

        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(manual.futures).isEmpty();
    }

    @Test
    void aNullResponseWritesNothingButLaterResponsesStillGoOut() {
        channel.writeInbound(initProducerIdRequest(1));
        channel.writeInbound(apiVersionsRequest(API_VERSIONS_VERSION, 2));
        assertNoOutput();

        manual.futures.get(0).complete(null);

        List<Frame> frames = responses(List.of(ApiKeys.API_VERSIONS), List.of(API_VERSIONS_VERSION));
        assertThat(frames.get(0).correlationId()).isEqualTo(2);
        ApiVersionsResponse response = body(frames.get(0), ApiKeys.API_VERSIONS, API_VERSIONS_VERSION);
        assertThat(response.data().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(channel.isOpen()).isTrue();

        // And the connection keeps serving afterwards.
        channel.writeInbound(initProducerIdRequest(3));
        manual.futures.get(1).complete(new InitProducerIdCodec.Response(ErrorCode.NONE, 3003L, (short) 0));
        List<Frame> later = responses(List.of(ApiKeys.INIT_PRODUCER_ID), List.of(IPI_VERSION));
        assertThat(later.get(0).correlationId()).isEqualTo(3);
    }

    @Test
    void aMillraceExceptionBecomesTheCodecsErrorResponse() {
        channel.writeInbound(initProducerIdRequest(4));

        manual.futures.get(0).completeExceptionally(
                new MillraceException(ErrorCode.COORDINATOR_NOT_AVAILABLE, "no coordinator yet"));

        List<Frame> frames = responses(List.of(ApiKeys.INIT_PRODUCER_ID), List.of(IPI_VERSION));
        assertThat(frames.get(0).correlationId()).isEqualTo(4);
        InitProducerIdResponse response = body(frames.get(0), ApiKeys.INIT_PRODUCER_ID, IPI_VERSION);
        assertThat(response.data().errorCode()).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE.code());
        assertThat(response.data().producerId()).isEqualTo(-1L);
        assertThat(response.data().producerEpoch()).isEqualTo((short) -1);
        assertThat(channel.isOpen()).isTrue();
    }

    private static void assertRegisteredRanges(ApiVersionsResponseData data) {
        assertThat(data.apiKeys()).hasSize(2);
        ApiVersionsResponseData.ApiVersion apiVersions = data.apiKeys().find(ApiKeys.API_VERSIONS.id);
        assertThat(apiVersions.minVersion()).isEqualTo(ApiKeys.API_VERSIONS.oldestVersion());
        assertThat(apiVersions.maxVersion()).isEqualTo(ApiKeys.API_VERSIONS.latestVersion());
        ApiVersionsResponseData.ApiVersion initProducerId = data.apiKeys().find(ApiKeys.INIT_PRODUCER_ID.id);
        assertThat(initProducerId.minVersion()).isEqualTo(ApiKeys.INIT_PRODUCER_ID.oldestVersion());
        assertThat(initProducerId.maxVersion()).isEqualTo(ApiKeys.INIT_PRODUCER_ID.latestVersion(false));
    }
}
