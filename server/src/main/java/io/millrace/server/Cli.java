package io.millrace.server;

import io.millrace.server.config.ConfigDef;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code millrace} command line: {@code start}, {@code config-docs}, {@code help},
 * {@code --help} and {@code --version}. Built with injected environment and runner so tests drive
 * it exactly as {@link Main} does, minus the broker.
 *
 * <p>Exit codes: 0 success, 1 the node failed to start or stopped on an error, 2 the command line
 * or the configuration is wrong (picocli's code for usage errors).
 */
public final class Cli {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_CONFIG = 2;

    private Cli() {
    }

    public static CommandLine commandLine(Map<String, String> environment, NodeRunner runner) {
        CommandLine commandLine = new CommandLine(new Millrace());
        commandLine.addSubcommand("start", new StartCommand(environment, runner));
        commandLine.addSubcommand("config-docs", new ConfigDocsCommand());
        commandLine.addSubcommand("help", new CommandLine.HelpCommand());
        return commandLine;
    }

    @Command(name = "millrace", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "A Kafka-compatible, replicated streaming log.")
    static final class Millrace implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        /** Without a subcommand there is nothing to do: show what there is. */
        @Override
        public Integer call() {
            spec.commandLine().usage(spec.commandLine().getErr());
            return EXIT_CONFIG;
        }
    }

    @Command(name = "config-docs", description = "Print every configuration key as a Markdown table.")
    static final class ConfigDocsCommand implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            out.print(ConfigDef.markdownTable());
            out.flush();
            return EXIT_OK;
        }
    }

    /** Reads the version Maven wrote into {@code version.properties} at build time. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties properties = new Properties();
            try (InputStream in = Cli.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            }
            return new String[] {"millrace " + properties.getProperty("version", "(unknown version)")};
        }
    }
}
