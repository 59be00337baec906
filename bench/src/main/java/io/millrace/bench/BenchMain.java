package io.millrace.bench;

import io.millrace.bench.compare.CompareCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code millrace bench produce|consume|e2e}: an honest load generator for any Kafka-protocol
 * broker, built on the Java clients only. See bench/README.md for what each figure means.
 */
@Command(name = "millrace bench", mixinStandardHelpOptions = true, version = "millrace bench",
        subcommands = {ProduceCommand.class, ConsumeCommand.class, EndToEndCommand.class, CompareCommand.class,
                FsyncCeilingCommand.class},
        description = "Load a Kafka-protocol broker and measure throughput and latency.")
public final class BenchMain implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new BenchMain()).setExecutionExceptionHandler(BenchMain::onFailure);
    }

    /** A run that cannot start or continue (broker unreachable, topic not creatable): one line, exit 1. */
    private static int onFailure(Exception error, CommandLine commandLine, CommandLine.ParseResult parsed) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        commandLine.getErr().println("millrace bench " + commandLine.getCommandName() + ": failed: "
                + root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage()));
        commandLine.getErr().flush();
        return 1;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "name a subcommand: produce, consume, e2e, compare or fsync-ceiling");
    }
}
