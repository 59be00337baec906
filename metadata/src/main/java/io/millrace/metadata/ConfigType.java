package io.millrace.metadata;

/** A config's value type, named as in Kafka's DescribeConfigs. */
public enum ConfigType {
    BOOLEAN, STRING, INT, SHORT, LONG, DOUBLE, LIST, CLASS, PASSWORD
}
