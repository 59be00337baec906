package io.millrace.server;

import io.millrace.server.config.ServerConfig;
import java.io.PrintWriter;

/**
 * Runs a node with a parsed configuration until it stops, returning the process exit code. The
 * seam between the command line and the broker: {@code millrace start} parses and validates, a
 * runner starts things, so the command line is testable without starting a broker.
 */
@FunctionalInterface
public interface NodeRunner {

    /**
     * @param err where to print a one-line reason if the node cannot start
     * @return the exit code: {@link Cli#EXIT_OK}, {@link Cli#EXIT_FAILED} or {@link Cli#EXIT_CONFIG}
     */
    int run(ServerConfig config, PrintWriter err);
}
