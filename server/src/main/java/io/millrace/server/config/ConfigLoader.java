package io.millrace.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Assembles the configuration from its layers, each overriding the one before: built-in defaults,
 * the properties file, {@code MILLRACE_*} environment variables, then every {@code --override}
 * in command-line order. The environment is a parameter, never read here, so tests can pass a map.
 *
 * <p>An environment variable maps to a key by dropping the prefix, lower-casing and turning
 * {@code _} into {@code .}: {@code MILLRACE_LOG_DIRS} sets {@code log.dirs}. No key contains an
 * underscore, so the mapping is unambiguous. Values are trimmed in every layer, because a
 * trailing space in a properties file is invisible and Kafka trims too.
 */
public final class ConfigLoader {

    public static final String ENV_PREFIX = "MILLRACE_";

    /** {@code MILLRACE_*} variables read by {@code bin/millrace}, not configuration keys. */
    public static final Set<String> LAUNCHER_VARIABLES = Set.of("MILLRACE_JVM_OPTS", "MILLRACE_CDS");

    private ConfigLoader() {
    }

    /**
     * @param configFile  a Kafka-style properties file, or {@code null} for none
     * @param environment the process environment (only {@code MILLRACE_*} entries are used)
     * @param overrides   {@code key=value} strings, later ones winning
     * @throws ConfigException naming the key, value and source of the first problem found
     */
    public static ServerConfig load(Path configFile, Map<String, String> environment, List<String> overrides) {
        Map<String, Setting> settings = new LinkedHashMap<>();
        if (configFile != null) {
            settings.putAll(fromFile(configFile));
        }
        settings.putAll(fromEnvironment(environment));
        settings.putAll(fromOverrides(overrides));
        return ServerConfig.parse(settings);
    }

    static Map<String, Setting> fromFile(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("Cannot read config file " + file + ": " + describe(e), e);
        }
        String source = "config file " + file;
        Map<String, Setting> settings = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            settings.put(name.trim(), new Setting(properties.getProperty(name).trim(), source));
        }
        return settings;
    }

    static Map<String, Setting> fromEnvironment(Map<String, String> environment) {
        Map<String, Setting> settings = new TreeMap<>();
        for (Map.Entry<String, String> entry : environment.entrySet()) {
            String variable = entry.getKey();
            if (variable.startsWith(ENV_PREFIX) && !LAUNCHER_VARIABLES.contains(variable)) {
                String name = variable.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                settings.put(name, new Setting(entry.getValue().trim(), "environment variable " + variable));
            }
        }
        return settings;
    }

    static Map<String, Setting> fromOverrides(List<String> overrides) {
        Map<String, Setting> settings = new LinkedHashMap<>();
        for (String override : overrides) {
            int equals = override.indexOf('=');
            if (equals <= 0) {
                throw new ConfigException("--override '" + override + "' is not of the form key=value");
            }
            String name = override.substring(0, equals).trim();
            settings.put(name, new Setting(override.substring(equals + 1).trim(), "--override"));
        }
        return settings;
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " " + message);
    }
}
