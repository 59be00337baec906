package io.millrace.bench;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;
import picocli.CommandLine;

/**
 * How records are keyed: {@code none} (null keys, the producer spreads batches over partitions),
 * {@code random} (a fresh random 8-byte key per record), or {@code fixed:N} (one of N keys
 * {@code key-0} .. {@code key-(N-1)}, chosen at random per record, so each key keeps its
 * partition).
 */
record KeyPattern(Kind kind, int fixedKeys) {

    enum Kind { NONE, RANDOM, FIXED }

    KeyPattern {
        if (kind == Kind.FIXED && fixedKeys < 1) {
            throw new IllegalArgumentException("fixed key count must be at least 1, was " + fixedKeys);
        }
    }

    static final KeyPattern NONE = new KeyPattern(Kind.NONE, 0);

    /** A key for the next record, or null; {@code random} is the calling thread's own. */
    byte[] next(SplittableRandom random, byte[][] fixed) {
        return switch (kind) {
            case NONE -> null;
            case RANDOM -> longBytes(random.nextLong());
            case FIXED -> fixed[random.nextInt(fixedKeys)];
        };
    }

    /** The keys of {@code fixed:N}, built once per producer so records share the arrays. */
    byte[][] buildFixedKeys() {
        byte[][] keys = new byte[kind == Kind.FIXED ? fixedKeys : 0][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = ("key-" + i).getBytes(StandardCharsets.US_ASCII);
        }
        return keys;
    }

    private static byte[] longBytes(long value) {
        byte[] bytes = new byte[Long.BYTES];
        for (int i = 0; i < Long.BYTES; i++) {
            bytes[i] = (byte) (value >>> (8 * (Long.BYTES - 1 - i)));
        }
        return bytes;
    }

    @Override
    public String toString() {
        return kind == Kind.FIXED ? "fixed:" + fixedKeys : kind.name().toLowerCase(Locale.ROOT);
    }

    /** picocli converter for {@code --keys}. */
    static final class Converter implements CommandLine.ITypeConverter<KeyPattern> {
        @Override
        public KeyPattern convert(String value) {
            if (value.equals("none")) {
                return NONE;
            }
            if (value.equals("random")) {
                return new KeyPattern(Kind.RANDOM, 0);
            }
            if (value.startsWith("fixed:")) {
                try {
                    int count = Integer.parseInt(value.substring("fixed:".length()));
                    if (count >= 1) {
                        return new KeyPattern(Kind.FIXED, count);
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
            }
            throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not a key pattern: use none, random or fixed:N (N >= 1)");
        }
    }
}
