package io.millrace.server;

/**
 * The entry point of {@code millrace.jar}. Everything but the process boundary (real environment,
 * real broker, {@code System.exit}) lives in {@link Cli} so it can be tested.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int exitCode = Cli.commandLine(System.getenv(), MillraceNode::run).execute(args);
        System.exit(exitCode);
    }
}
