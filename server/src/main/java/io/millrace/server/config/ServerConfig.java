package io.millrace.server.config;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The parsed configuration: every key of {@link ConfigDef} with a value (given or default), plus
 * the rules that derive the keys without a default of their own, as Kafka derives them. This is
 * not a second typed configuration class; {@code BrokerConfigs} turns it into the broker's
 * {@code BrokerConfig} and nothing else reads it.
 *
 * <p>Immutable and thread-safe.
 */
public final class ServerConfig {

    private static final long MS_PER_MINUTE = 60_000L;
    private static final long MS_PER_HOUR = 60 * MS_PER_MINUTE;

    private final Map<String, Object> values;
    private final Map<String, Setting> given;

    private ServerConfig(Map<String, Object> values, Map<String, Setting> given) {
        this.values = values;
        this.given = given;
    }

    /** Parses plain properties (source "properties"), e.g. for tests and embedded use. */
    public static ServerConfig fromProperties(Map<String, String> properties) {
        Map<String, Setting> settings = new LinkedHashMap<>();
        properties.forEach((name, value) -> settings.put(name, new Setting(value, "properties")));
        return parse(settings);
    }

    /**
     * @param settings every explicitly given key, after layering
     * @throws ConfigException for an unknown key, a value its parser rejects, or keys that contradict
     */
    static ServerConfig parse(Map<String, Setting> settings) {
        for (Map.Entry<String, Setting> entry : settings.entrySet()) {
            if (ConfigDef.key(entry.getKey()).isEmpty()) {
                throw new ConfigException("Unknown configuration key '" + entry.getKey() + "' (from "
                        + entry.getValue().source() + "); run 'millrace config-docs' for the list of keys");
            }
        }
        Map<String, Object> values = new HashMap<>();
        for (ConfigKey<?> key : ConfigDef.keys()) {
            Setting setting = settings.get(key.name());
            if (setting == null && key.hasDefault()) {
                setting = new Setting(key.defaultValue(), "default");
            }
            if (setting != null) {
                values.put(key.name(), parseValue(key, setting));
            }
        }
        ServerConfig config = new ServerConfig(Map.copyOf(values), Map.copyOf(settings));
        config.validate();
        return config;
    }

    private static Object parseValue(ConfigKey<?> key, Setting setting) {
        try {
            return key.parser().parse(setting.value());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid value '" + setting.value() + "' for configuration key '" + key.name()
                    + "' (from " + setting.source() + "): " + e.getMessage(), e);
        }
    }

    /** The value of a key that has one (given or default); derived keys have their own accessors. */
    public <T> T get(ConfigKey<T> key) {
        return find(key).orElseThrow(() -> new IllegalStateException(
                "configuration key " + key.name() + " has no default; use the accessor that derives it"));
    }

    /** The value of a key if it was given or has a default. */
    @SuppressWarnings("unchecked")
    public <T> Optional<T> find(ConfigKey<T> key) {
        return Optional.ofNullable((T) values.get(key.name()));
    }

    /** True when the operator set the key (file, environment or override), not the default. */
    public boolean isGiven(ConfigKey<?> key) {
        return given.containsKey(key.name());
    }

    /** {@code advertised.listeners}, or {@code listeners} with wildcard hosts made connectable. */
    public List<ListenerAddress> advertisedListeners() {
        return find(ConfigDef.ADVERTISED_LISTENERS).orElseGet(() -> get(ConfigDef.LISTENERS).stream()
                .map(ListenerAddress::withConnectableHost)
                .collect(Collectors.toUnmodifiableList()));
    }

    /** Kafka's precedence: {@code log.retention.ms}, then {@code .minutes}, then {@code .hours}; -1 is forever. */
    public long logRetentionMs() {
        Optional<Long> ms = find(ConfigDef.LOG_RETENTION_MS);
        if (ms.isPresent()) {
            return ms.get();
        }
        Optional<Integer> minutes = find(ConfigDef.LOG_RETENTION_MINUTES);
        if (minutes.isPresent()) {
            return scaled(minutes.get(), MS_PER_MINUTE);
        }
        return scaled(get(ConfigDef.LOG_RETENTION_HOURS), MS_PER_HOUR);
    }

    /** {@code log.roll.ms}, else {@code log.roll.hours}. */
    public long logRollMs() {
        return find(ConfigDef.LOG_ROLL_MS).orElseGet(() -> get(ConfigDef.LOG_ROLL_HOURS) * MS_PER_HOUR);
    }

    /** This node's entry in {@code controller.quorum.voters}: where it binds Raft. */
    public InetSocketAddress raftAddress() {
        return get(ConfigDef.CONTROLLER_QUORUM_VOTERS).get(get(ConfigDef.NODE_ID));
    }

    private static long scaled(int amount, long msPerUnit) {
        return amount == -1 ? -1 : amount * msPerUnit;
    }

    private void validate() {
        int nodeId = get(ConfigDef.NODE_ID);
        Map<Integer, InetSocketAddress> voters = get(ConfigDef.CONTROLLER_QUORUM_VOTERS);
        if (!voters.containsKey(nodeId)) {
            throw new ConfigException("node.id " + nodeId + " (from " + sourceOf(ConfigDef.NODE_ID)
                    + ") has no entry in controller.quorum.voters " + voters.keySet() + " (from "
                    + sourceOf(ConfigDef.CONTROLLER_QUORUM_VOTERS) + ")");
        }
        find(ConfigDef.ADVERTISED_LISTENERS).ifPresent(this::validateAdvertised);
    }

    private void validateAdvertised(List<ListenerAddress> advertised) {
        Set<String> names = get(ConfigDef.LISTENERS).stream().map(ListenerAddress::name).collect(Collectors.toSet());
        String source = sourceOf(ConfigDef.ADVERTISED_LISTENERS);
        for (ListenerAddress listener : advertised) {
            if (listener.isWildcard()) {
                throw new ConfigException("Invalid value for configuration key 'advertised.listeners' (from " + source
                        + "): " + listener + " is not an address a client can connect to");
            }
            if (!names.contains(listener.name())) {
                throw new ConfigException("Invalid value for configuration key 'advertised.listeners' (from " + source
                        + "): listener " + listener.name() + " is not among listeners " + names);
            }
        }
    }

    /** Where a key's value came from: a file, a variable, {@code --override} or "default". */
    public String sourceOf(ConfigKey<?> key) {
        Setting setting = given.get(key.name());
        return setting != null ? setting.source() : "default";
    }
}
