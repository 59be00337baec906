package io.millrace.server.config;

/**
 * Splits and formats {@code host:port}, the address form every network key uses. IPv6 literals
 * are written in brackets ({@code [::1]:9092}) as in URLs; the brackets are not part of the host.
 */
final class HostPorts {

    /** A parsed {@code host:port}; the host may be empty. */
    record HostPort(String host, int port) {
    }

    private HostPorts() {
    }

    static HostPort parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected host:port");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("an IPv6 address must be written in brackets, as [::1]:9092");
        }
        if (host.contains("/") || host.contains("[") || host.contains("]") || host.contains(" ")) {
            throw new IllegalArgumentException("'" + host + "' is not a host name or address");
        }
        return new HostPort(host, port(text.substring(colon + 1)));
    }

    static int port(String text) {
        int port;
        try {
            port = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port '" + text + "' is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0-65535");
        }
        return port;
    }

    static String format(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
