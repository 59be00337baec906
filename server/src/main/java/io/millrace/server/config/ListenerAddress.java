package io.millrace.server.config;

import java.util.Objects;

/**
 * One entry of {@code listeners} or {@code advertised.listeners}, as in
 * {@code PLAINTEXT://localhost:9092}. The host is kept as written, without IPv6 brackets; an empty
 * host or a wildcard address means every interface. This is the parsed form only: the broker's
 * {@code BrokerConfig.Endpoint} is built from it, which keeps parsing testable without the broker.
 *
 * @param name listener name, upper-case
 * @param host host name or address, possibly empty
 * @param port TCP port, 0 for an ephemeral port
 */
public record ListenerAddress(String name, String host, int port) {

    public ListenerAddress {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
    }

    /** True when the host means "every interface", which no client can connect to. */
    public boolean isWildcard() {
        return isWildcardHost(host);
    }

    static boolean isWildcardHost(String host) {
        return host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
    }

    /** The same listener with a wildcard host replaced by {@code localhost}. */
    public ListenerAddress withConnectableHost() {
        return isWildcard() ? new ListenerAddress(name, "localhost", port) : this;
    }

    @Override
    public String toString() {
        return name + "://" + HostPorts.format(host, port);
    }
}
