package io.millrace.metadata;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * One topic config: name, type, Kafka's default and a check that returns what is wrong with a
 * value (Kafka's wording) or null. Immutable.
 */
record TopicConfigDef(String name, ConfigType type, String defaultValue, Function<String, String> checker,
                      String documentation) {

    String check(String value) {
        if (value == null) {
            return "Value must not be null";
        }
        return checker.apply(value);
    }

    static TopicConfigDef bool(String name, boolean dflt, String doc) {
        return new TopicConfigDef(name, ConfigType.BOOLEAN, Boolean.toString(dflt), v -> {
            String t = v.trim().toLowerCase(Locale.ROOT);
            return t.equals("true") || t.equals("false") ? null : "Expected value to be either true or false";
        }, doc);
    }

    static TopicConfigDef oneOf(String name, String dflt, List<String> allowed, String doc) {
        return new TopicConfigDef(name, ConfigType.STRING, dflt,
                v -> allowed.contains(v.trim()) ? null : "String must be one of: " + String.join(", ", allowed),
                doc);
    }

    static TopicConfigDef list(String name, String dflt, Set<String> allowed, String doc) {
        return new TopicConfigDef(name, ConfigType.LIST, dflt, v -> {
            for (String item : TopicConfigs.parseList(v)) {
                if (!allowed.contains(item)) {
                    return "String must be one of: " + String.join(", ", new java.util.TreeSet<>(allowed));
                }
            }
            return null;
        }, doc);
    }

    static TopicConfigDef intRange(String name, int dflt, int min, int max, boolean allowMinusOne, String doc) {
        return new TopicConfigDef(name, ConfigType.INT, Integer.toString(dflt), v -> {
            int parsed;
            try {
                parsed = Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                return "Not a number of type INT";
            }
            if (allowMinusOne && parsed == -1) {
                return null;
            }
            if (parsed < min) {
                return max == Integer.MAX_VALUE ? "Value must be at least " + min
                        : "Value must be in the range [" + min + ", " + max + "]";
            }
            return parsed > max ? "Value must be in the range [" + min + ", " + max + "]" : null;
        }, doc);
    }

    static TopicConfigDef longAtLeast(String name, long dflt, long min, String doc) {
        return new TopicConfigDef(name, ConfigType.LONG, Long.toString(dflt), v -> {
            long parsed;
            try {
                parsed = Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                return "Not a number of type LONG";
            }
            return parsed < min ? "Value must be at least " + min : null;
        }, doc);
    }

    static TopicConfigDef doubleRange(String name, double dflt, double min, double max, String doc) {
        return new TopicConfigDef(name, ConfigType.DOUBLE, Double.toString(dflt), v -> {
            double parsed;
            try {
                parsed = Double.parseDouble(v.trim());
            } catch (NumberFormatException e) {
                return "Not a number of type DOUBLE";
            }
            return parsed >= min && parsed <= max ? null : "Value must be in the range [" + min + ", " + max + "]";
        }, doc);
    }
}
