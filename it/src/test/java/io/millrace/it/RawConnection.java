package io.millrace.it;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.RequestUtils;
import org.apache.kafka.common.requests.ResponseHeader;

/**
 * A plain TCP connection to a node's Kafka port, for sending what no well-behaved client would.
 * Requests are encoded with kafka-clients' generated classes, then possibly damaged; frames are
 * Kafka's: a 4-byte big-endian length, then that many bytes.
 */
final class RawConnection implements AutoCloseable {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(15);
    private static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int nextCorrelationId = 1;

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static RawConnection open(MillraceNode node) {
        try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", node.kafkaPort()), 10_000);
            socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
            socket.setTcpNoDelay(true);
            return new RawConnection(socket);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + node.bootstrap(), e);
        }
    }

    /** Writes bytes exactly as given: no length prefix is added. */
    void sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a frame: the payload's length, then the payload. */
    void sendFrame(byte[] payload) {
        sendRaw(ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array());
    }

    /** Encodes a request with its correct header version for {@code version}; the next correlation id. */
    byte[] encode(ApiKeys api, short version, ApiMessage body) {
        RequestHeaderData header = new RequestHeaderData()
                .setRequestApiKey(api.id)
                .setRequestApiVersion(version)
                .setCorrelationId(nextCorrelationId++)
                .setClientId("millrace-it-raw");
        ByteBuffer buffer = RequestUtils.serialize(header, api.requestHeaderVersion(version), body, version);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    /**
     * Sends a well-formed request and returns the response body positioned after the response
     * header, whose correlation id has been checked.
     */
    ByteBufferAccessor request(ApiKeys api, short version, ApiMessage body) {
        int correlationId = nextCorrelationId;
        sendFrame(encode(api, version, body));
        ByteBuffer response = receiveFrame();
        ResponseHeader header = ResponseHeader.parse(response, api.responseHeaderVersion(version));
        if (header.correlationId() != correlationId) {
            throw new AssertionError(api + " v" + version + ": response correlation id " + header.correlationId()
                    + ", expected " + correlationId);
        }
        return new ByteBufferAccessor(response);
    }

    /** The versions of every API the broker advertises (ApiVersions v3, as clients ask). */
    ApiVersionsResponseData apiVersions() {
        short version = 3;
        ByteBufferAccessor body = request(ApiKeys.API_VERSIONS, version, new ApiVersionsRequestData()
                .setClientSoftwareName("millrace-it").setClientSoftwareVersion("0"));
        return new ApiVersionsResponseData(body, version);
    }

    /** The highest version of {@code api} that both kafka-clients and the broker support. */
    short commonVersion(ApiKeys api) {
        ApiVersionsResponseData.ApiVersion broker = apiVersions().apiKeys().find(api.id);
        if (broker == null) {
            throw new AssertionError("broker does not advertise " + api);
        }
        return (short) Math.min(api.latestVersion(), broker.maxVersion());
    }

    ByteBuffer receiveFrame() {
        try {
            int length = in.readInt();
            if (length < 0 || length > MAX_RESPONSE_BYTES) {
                throw new AssertionError("response frame length " + length);
            }
            byte[] payload = new byte[length];
            in.readFully(payload);
            return ByteBuffer.wrap(payload);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no response within " + READ_TIMEOUT, e);
        } catch (IOException e) {
            throw new UncheckedIOException("connection failed while reading a response", e);
        }
    }

    /**
     * Passes when the broker closes this connection (EOF or reset) within {@code within},
     * discarding whatever it sends first; fails when the connection is still open then.
     */
    void assertClosedByBroker(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        byte[] sink = new byte[8192];
        try {
            while (true) {
                long leftMs = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                socket.setSoTimeout((int) leftMs);
                if (in.read(sink) < 0) {
                    return;
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the broker kept the connection open for " + within, e);
        } catch (EOFException e) {
            return;
        } catch (IOException e) {
            // Connection reset: closed by the broker, with unread input on its side.
            return;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
