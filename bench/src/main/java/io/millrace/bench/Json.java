package io.millrace.bench;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the small JSON documents of {@code --json}: maps, lists, strings, numbers and booleans,
 * nested. Doubles are written with fixed precision so files diff cleanly between runs; NaN and
 * infinities become {@code null}.
 */
final class Json {

    private Json() {
    }

    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, 0);
        return out.append('\n').toString();
    }

    private static void write(StringBuilder out, Object value, int indent) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String text) {
            string(out, text);
        } else if (value instanceof Double number) {
            out.append(number.isNaN() || number.isInfinite() ? "null" : String.format(Locale.ROOT, "%.3f", number));
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            object(out, map, indent);
        } else if (value instanceof List<?> list) {
            array(out, list, indent);
        } else {
            string(out, value.toString());
        }
    }

    private static void object(StringBuilder out, Map<?, ?> map, int indent) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append("{\n");
        Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<?, ?> entry = entries.next();
            out.append("  ".repeat(indent + 1));
            string(out, String.valueOf(entry.getKey()));
            out.append(": ");
            write(out, entry.getValue(), indent + 1);
            out.append(entries.hasNext() ? ",\n" : "\n");
        }
        out.append("  ".repeat(indent)).append('}');
    }

    /** Lists of scalars stay on one line; lists of objects get one element per line. */
    private static void array(StringBuilder out, List<?> list, int indent) {
        boolean flat = list.stream().noneMatch(element -> element instanceof Map || element instanceof List);
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
            if (!flat) {
                out.append('\n').append("  ".repeat(indent + 1));
            }
            write(out, list.get(i), indent + 1);
            if (i < list.size() - 1) {
                out.append(flat ? ", " : ",");
            }
        }
        if (!flat && !list.isEmpty()) {
            out.append('\n').append("  ".repeat(indent));
        }
        out.append(']');
    }

    private static void string(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
