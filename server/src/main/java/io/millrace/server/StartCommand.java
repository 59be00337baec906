package io.millrace.server;

import io.millrace.server.config.ConfigException;
import io.millrace.server.config.ConfigLoader;
import io.millrace.server.config.ServerConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code millrace start}: assemble the configuration (defaults, file, {@code MILLRACE_*}
 * variables, overrides), stop with a one-line message if it is wrong, otherwise hand it to the
 * {@link NodeRunner}, which returns only when the node stops.
 */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = "Start a Millrace node and run until SIGTERM or Ctrl-C.",
        footer = {"", "Configuration layers, later winning: built-in defaults, --config FILE, MILLRACE_* environment "
                + "variables (MILLRACE_LOG_DIRS sets log.dirs), then each --override in order. "
                + "'millrace config-docs' lists every key."})
final class StartCommand implements Callable<Integer> {

    private final Map<String, String> environment;
    private final NodeRunner runner;

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "A Kafka-style .properties file.")
    Path configFile;

    @Option(names = "--override", paramLabel = "KEY=VALUE",
            description = "Set one configuration key; may be repeated, later ones win.")
    List<String> overrides = new ArrayList<>();

    StartCommand(Map<String, String> environment, NodeRunner runner) {
        this.environment = Map.copyOf(environment);
        this.runner = runner;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        ServerConfig config;
        try {
            config = ConfigLoader.load(configFile, environment, overrides);
        } catch (ConfigException e) {
            err.println("millrace: " + e.getMessage());
            err.flush();
            return Cli.EXIT_CONFIG;
        }
        return runner.run(config, err);
    }
}
