package io.millrace.server.config;

import java.net.InetSocketAddress;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parsers behind the configuration table. Each one accepts exactly the text Kafka accepts for
 * the same key where Millrace gives it the same meaning, and explains a rejection in words that
 * make sense after "key=value: ".
 */
public final class Parsers {

    private static final Pattern LISTENER = Pattern.compile("([A-Za-z0-9_]+)://(.*)");
    private static final Pattern VOTER = Pattern.compile("(-?\\d+)@(.+)");

    /** Security protocols Kafka knows that Millrace does not speak; naming one would mislead clients. */
    private static final Set<String> UNSUPPORTED_PROTOCOLS = Set.of("SSL", "SASL_PLAINTEXT", "SASL_SSL");

    private Parsers() {
    }

    public static ValueParser<Integer> intAtLeast(int min) {
        return text -> {
            long value = parseLong(text, "an integer");
            if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("must fit in a 32-bit integer");
            }
            requireAtLeast(value, min);
            return (int) value;
        };
    }

    public static ValueParser<Long> longAtLeast(long min) {
        return text -> {
            long value = parseLong(text, "a 64-bit integer");
            requireAtLeast(value, min);
            return value;
        };
    }

    public static ValueParser<Short> shortAtLeast(short min) {
        return text -> {
            long value = parseLong(text, "an integer");
            if (value > Short.MAX_VALUE) {
                throw new IllegalArgumentException("must be at most " + Short.MAX_VALUE);
            }
            requireAtLeast(value, min);
            return (short) value;
        };
    }

    public static ValueParser<Boolean> bool() {
        return text -> {
            if (text.equalsIgnoreCase("true")) {
                return true;
            }
            if (text.equalsIgnoreCase("false")) {
                return false;
            }
            throw new IllegalArgumentException("must be true or false");
        };
    }

    /** One of a fixed set of words, compared without case; returns the lower-case word. */
    public static ValueParser<String> oneOf(String... choices) {
        List<String> allowed = List.of(choices);
        return text -> {
            String word = text.toLowerCase(Locale.ROOT);
            if (!allowed.contains(word)) {
                throw new IllegalArgumentException("must be one of " + String.join(", ", allowed));
            }
            return word;
        };
    }

    /**
     * {@code log.dirs}: Kafka allows a comma-separated list to spread partitions over disks.
     * Millrace keeps one directory per node (use RAID or one node per disk instead), and says so
     * rather than silently using only the first entry.
     */
    public static ValueParser<Path> singleDirectory() {
        return text -> {
            List<String> dirs = splitList(text);
            if (dirs.isEmpty()) {
                throw new IllegalArgumentException("must name a directory");
            }
            if (dirs.size() > 1) {
                throw new IllegalArgumentException("Millrace stores a node's data in exactly one directory, but "
                        + dirs.size() + " were given (" + String.join(", ", dirs) + ")");
            }
            try {
                return Path.of(dirs.get(0));
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("'" + dirs.get(0) + "' is not a valid path: " + e.getReason());
            }
        };
    }

    /** {@code host:port}; an empty host means every interface. Never resolves the name. */
    public static ValueParser<InetSocketAddress> hostPort() {
        return text -> {
            HostPorts.HostPort parsed = HostPorts.parse(text);
            return InetSocketAddress.createUnresolved(parsed.host(), parsed.port());
        };
    }

    /** {@code NAME://host:port,...}: at least one, names unique, names normalised to upper case. */
    public static ValueParser<List<ListenerAddress>> listeners() {
        return text -> {
            List<ListenerAddress> result = new ArrayList<>();
            for (String item : splitList(text)) {
                ListenerAddress listener = listener(item);
                if (result.stream().anyMatch(l -> l.name().equals(listener.name()))) {
                    throw new IllegalArgumentException("listener name " + listener.name() + " appears more than once");
                }
                result.add(listener);
            }
            if (result.isEmpty()) {
                throw new IllegalArgumentException("must name at least one listener, as PLAINTEXT://localhost:9092");
            }
            return List.copyOf(result);
        };
    }

    private static ListenerAddress listener(String item) {
        Matcher matcher = LISTENER.matcher(item);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + item + "' is not of the form NAME://host:port");
        }
        String name = matcher.group(1).toUpperCase(Locale.ROOT);
        if (UNSUPPORTED_PROTOCOLS.contains(name)) {
            throw new IllegalArgumentException("listener " + name + ": Millrace serves plaintext only");
        }
        HostPorts.HostPort address = parseItem(item, matcher.group(2));
        return new ListenerAddress(name, address.host(), address.port());
    }

    /**
     * {@code id@host:port,...}: the Raft voters, in the order given. Addresses stay unresolved so
     * that a peer whose address changes (a restarted container) is looked up again when contacted.
     */
    public static ValueParser<Map<Integer, InetSocketAddress>> voters() {
        return text -> {
            Map<Integer, InetSocketAddress> result = new LinkedHashMap<>();
            for (String item : splitList(text)) {
                Matcher matcher = VOTER.matcher(item);
                if (!matcher.matches()) {
                    throw new IllegalArgumentException("'" + item + "' is not of the form id@host:port");
                }
                int id = voterId(item, matcher.group(1));
                HostPorts.HostPort address = parseItem(item, matcher.group(2));
                if (address.host().isEmpty() || ListenerAddress.isWildcardHost(address.host())) {
                    throw new IllegalArgumentException("voter " + id + " needs an address other nodes can reach, not '"
                            + address.host() + "'");
                }
                if (result.put(id, InetSocketAddress.createUnresolved(address.host(), address.port())) != null) {
                    throw new IllegalArgumentException("voter id " + id + " appears more than once");
                }
            }
            if (result.isEmpty()) {
                throw new IllegalArgumentException("must name at least one voter, as 1@localhost:9093");
            }
            return Collections.unmodifiableMap(result);
        };
    }

    private static int voterId(String item, String text) {
        try {
            return intAtLeast(0).parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + item + "': the voter id " + e.getMessage(), e);
        }
    }

    private static HostPorts.HostPort parseItem(String item, String hostPort) {
        try {
            return HostPorts.parse(hostPort);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + item + "': " + e.getMessage(), e);
        }
    }

    /** Kafka's list syntax: comma-separated, items trimmed, empty items ignored. */
    static List<String> splitList(String text) {
        List<String> items = new ArrayList<>();
        for (String item : text.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return items;
    }

    private static long parseLong(String text, String what) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be " + what);
        }
    }

    private static void requireAtLeast(long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException("must be at least " + min);
        }
    }
}
