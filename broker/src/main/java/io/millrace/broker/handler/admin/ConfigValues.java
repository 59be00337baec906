package io.millrace.broker.handler.admin;

import io.millrace.broker.TopicDefaults;
import io.millrace.metadata.ConfigEntry;
import io.millrace.metadata.ConfigSource;
import io.millrace.metadata.TopicConfigs;
import io.millrace.protocol.codec.ConfigValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns the metadata module's topic config descriptions into the protocol's {@link ConfigValue}s,
 * with Kafka's synonyms: the topic override, then the broker property that sets its default, then
 * Kafka's default, each only when it applies.
 */
final class ConfigValues {

    private ConfigValues() {
    }

    static ConfigValue of(ConfigEntry entry, Map<String, String> overrides, Map<String, String> brokerDefaults,
                          boolean includeSynonyms, boolean includeDocumentation) {
        List<ConfigValue.Synonym> synonyms = includeSynonyms
                ? synonyms(entry.name(), overrides, brokerDefaults) : List.of();
        return new ConfigValue(entry.name(), entry.value(), sourceOf(entry.source()), entry.readOnly(),
                entry.sensitive(), ConfigValue.Type.valueOf(entry.type().name()),
                includeDocumentation ? entry.documentation() : null, synonyms);
    }

    static ConfigValue.Source sourceOf(ConfigSource source) {
        return ConfigValue.Source.valueOf(source.name());
    }

    private static List<ConfigValue.Synonym> synonyms(String name, Map<String, String> overrides,
                                                      Map<String, String> brokerDefaults) {
        List<ConfigValue.Synonym> synonyms = new ArrayList<>(3);
        if (overrides.containsKey(name)) {
            synonyms.add(new ConfigValue.Synonym(name, overrides.get(name), ConfigValue.Source.DYNAMIC_TOPIC_CONFIG));
        }
        String brokerName = TopicDefaults.brokerNameOf(name);
        if (brokerName != null && brokerDefaults.containsKey(name)) {
            synonyms.add(new ConfigValue.Synonym(brokerName, brokerDefaults.get(name),
                    ConfigValue.Source.STATIC_BROKER_CONFIG));
        }
        synonyms.add(new ConfigValue.Synonym(brokerName != null ? brokerName : name,
                TopicConfigs.defaultValue(name), ConfigValue.Source.DEFAULT_CONFIG));
        return synonyms;
    }

    /** Every config of a topic with these overrides, as CreateTopics v5+ reports them. */
    static List<ConfigValue> describeTopic(Map<String, String> overrides, Map<String, String> brokerDefaults) {
        return TopicConfigs.describe(overrides, brokerDefaults).stream()
                .map(e -> of(e, overrides, brokerDefaults, false, false)).toList();
    }
}
