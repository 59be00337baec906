package io.millrace.server;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The entry point of {@code millrace.jar}. Everything but the process boundary (real environment,
 * real broker, {@code System.exit}) lives in {@link Cli} so it can be tested.
 */
public final class Main {

    /**
     * Ratis' shaded gRPC logs through java.util.logging, which bypasses log4j; held here because
     * java.util.logging keeps only weak references to loggers, and a collected logger would forget
     * its level.
     */
    private static final Logger GRPC_JUL_LOGGER = Logger.getLogger("org.apache.ratis.thirdparty.io.grpc");

    private Main() {
    }

    public static void main(String[] args) {
        GRPC_JUL_LOGGER.setLevel(Level.WARNING);
        int exitCode = Cli.commandLine(System.getenv(), MillraceNode::run).execute(args);
        System.exit(exitCode);
    }
}
