package io.millrace.metadata;

import io.millrace.protocol.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The primitive encodings shared by commands, replies and snapshots: big-endian integers,
 * length-prefixed UTF-8 strings (length -1 for null), UUIDs as two longs, and length-prefixed
 * collections. Maps are written in key order so equal states encode to equal bytes.
 *
 * <p>Thread-safety: a {@link Writer} or {@link Reader} belongs to one thread.
 */
final class Wire {
    private Wire() {
    }

    /** Thrown when bytes do not decode; the log or snapshot is corrupt or from a newer version. */
    static final class CorruptException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CorruptException(String message) {
            super(message);
        }
    }

    static final class Writer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        private final DataOutputStream out = new DataOutputStream(bytes);

        byte[] toByteArray() {
            return bytes.toByteArray();
        }

        Writer writeByte(int v) {
            return io(() -> out.writeByte(v));
        }

        Writer writeBoolean(boolean v) {
            return io(() -> out.writeBoolean(v));
        }

        Writer writeShort(short v) {
            return io(() -> out.writeShort(v));
        }

        Writer writeInt(int v) {
            return io(() -> out.writeInt(v));
        }

        Writer writeLong(long v) {
            return io(() -> out.writeLong(v));
        }

        Writer writeBytes(byte[] v) {
            writeInt(v.length);
            return io(() -> out.write(v));
        }

        Writer writeString(String v) {
            if (v == null) {
                return writeInt(-1);
            }
            return writeBytes(v.getBytes(StandardCharsets.UTF_8));
        }

        Writer writeUuid(UUID v) {
            if (v == null) {
                return writeBoolean(false);
            }
            writeBoolean(true);
            writeLong(v.getMostSignificantBits());
            return writeLong(v.getLeastSignificantBits());
        }

        Writer writeError(ErrorCode code) {
            return writeString(code.name());
        }

        Writer writeIntList(List<Integer> v) {
            writeInt(v.size());
            v.forEach(this::writeInt);
            return this;
        }

        Writer writeStrings(Collection<String> v) {
            writeInt(v.size());
            new java.util.TreeSet<>(v).forEach(this::writeString);
            return this;
        }

        Writer writeStringMap(Map<String, String> v) {
            writeInt(v.size());
            new TreeMap<>(v).forEach((k, val) -> writeString(k).writeString(val));
            return this;
        }

        private Writer io(IoAction action) {
            try {
                action.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        private interface IoAction {
            void run() throws IOException;
        }
    }

    static final class Reader {
        private final ByteBuffer buf;

        Reader(byte[] bytes) {
            this.buf = ByteBuffer.wrap(bytes);
        }

        boolean hasRemaining() {
            return buf.hasRemaining();
        }

        byte readByte() {
            return guard(() -> buf.get());
        }

        boolean readBoolean() {
            return readByte() != 0;
        }

        short readShort() {
            return guard(buf::getShort);
        }

        int readInt() {
            return guard(buf::getInt);
        }

        long readLong() {
            return guard(buf::getLong);
        }

        byte[] readBytes() {
            int len = readLength(1);
            byte[] out = new byte[len];
            buf.get(out);
            return out;
        }

        String readString() {
            int len = readInt();
            if (len == -1) {
                return null;
            }
            if (len < 0 || len > buf.remaining()) {
                throw new CorruptException("string length " + len + " with " + buf.remaining() + " bytes left");
            }
            byte[] out = new byte[len];
            buf.get(out);
            return new String(out, StandardCharsets.UTF_8);
        }

        UUID readUuid() {
            if (!readBoolean()) {
                return null;
            }
            return new UUID(readLong(), readLong());
        }

        ErrorCode readError() {
            String name = readString();
            try {
                return ErrorCode.valueOf(name);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new CorruptException("unknown error code " + name);
            }
        }

        List<Integer> readIntList() {
            int n = readLength(4);
            List<Integer> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(readInt());
            }
            return out;
        }

        List<String> readStrings() {
            int n = readLength(4);
            List<String> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(readString());
            }
            return out;
        }

        Map<String, String> readStringMap() {
            int n = readLength(8);
            Map<String, String> out = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                out.put(readString(), readString());
            }
            return out;
        }

        /** Reads a count of elements of at least {@code minBytesEach}, refusing counts the rest cannot hold. */
        int readLength(int minBytesEach) {
            int n = readInt();
            if (n < 0 || (long) n * minBytesEach > buf.remaining()) {
                throw new CorruptException("length " + n + " with " + buf.remaining() + " bytes left");
            }
            return n;
        }

        private <T> T guard(java.util.function.Supplier<T> read) {
            try {
                return read.get();
            } catch (BufferUnderflowException e) {
                throw new CorruptException("truncated input");
            }
        }
    }
}
