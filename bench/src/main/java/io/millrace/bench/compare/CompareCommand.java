package io.millrace.bench.compare;

import io.millrace.bench.Json;
import io.millrace.bench.BenchMain;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code millrace bench compare}: Apache Kafka 4.3.1 and Millrace (durable and relaxed flush
 * policies) on this machine, one after the other, with the same workloads run by the load tool
 * in this JVM. Each broker is a separate process on an empty data directory, started fresh for
 * every workload of every round; its start-to-ready time, peak RSS and CPU time are recorded.
 * Prints the median of each figure per workload and broker, with the ratios Millrace/Kafka, and
 * writes compare.json and compare.md (plus every run's JSON and every broker's log) to --out.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the issue-4 workloads against Apache Kafka 4.3.1 and Millrace, alternating, and "
                + "print medians and Millrace/Kafka ratios.",
                "Needs the Kafka classpath: mvn -pl bench package -Pcompare -DskipTests"})
public final class CompareCommand implements Callable<Integer> {

    /** Apache Kafka's start scripts' JVM options (kafka-server-start.sh heap, kafka-run-class.sh GC). */
    static final String KAFKA_SCRIPT_JVM_OPTS = "-Xmx1G -Xms1G -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 "
            + "-XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true";

    @Option(names = "--kafka-classpath", paramLabel = "FILE",
            description = "File with Kafka's classpath (default: bench/target/kafka.classpath, written by -Pcompare).")
    Path kafkaClasspath;

    @Option(names = "--millrace-jar", paramLabel = "JAR", description = "Default: server/target/millrace.jar.")
    Path millraceJar;

    @Option(names = "--rounds", defaultValue = "3", paramLabel = "N",
            description = "Rounds; each runs every workload on every broker (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--workloads", defaultValue = "W1,W1H,W2,W3,W4,W5", split = ",", paramLabel = "W1,..,W5",
            description = "Workloads to run, of W1, W1H (W1 at half of Kafka's W1 rate), W2, W3, W4, W5 "
                    + "(default: ${DEFAULT-VALUE}).")
    List<String> workloads;

    @Option(names = "--w1h-rate", paramLabel = "MSG/S",
            description = "W1H's fixed rate (default: half of the median of Kafka's W1 msg/s in the rounds so far).")
    Long w1hRate;

    @Option(names = "--duration", converter = DurationArg.class, paramLabel = "TIME",
            description = "Length of the timed workloads W1, W1H, W2, W4, W5 (default 30s, with 5s warm-up; a run of "
                    + "10s or less gets a fifth of it as warm-up).")
    Duration duration;

    @Option(names = "--settle", defaultValue = "5s", converter = DurationArg.class, paramLabel = "TIME",
            description = "Pause after each run, once its broker stopped and its data were deleted, before the next "
                    + "broker starts (default: ${DEFAULT-VALUE}). Deleting gigabytes keeps this VM's kernel busy for "
                    + "a second or two, which slowed the next broker's start by about 0.2 s.")
    Duration settle;

    @Option(names = "--w3-size", defaultValue = "5GB", converter = SizeArg.class, paramLabel = "SIZE",
            description = "Bytes W3 writes and then reads (default: ${DEFAULT-VALUE}, the figure of issue 4).")
    long w3Bytes;

    @Option(names = "--millrace-policies", defaultValue = "durable,relaxed", split = ",", paramLabel = "POLICY,...",
            description = "Millrace log.flush.policy values to run (default: ${DEFAULT-VALUE}).")
    List<String> policies;

    @Option(names = "--no-kafka", description = "Run Millrace only (no ratios).")
    boolean noKafka;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Report directory (default: bench/target/compare/<date-time>).")
    Path out;

    @Option(names = "--base-port", defaultValue = "31000", paramLabel = "PORT",
            description = "Brokers bind 127.0.0.1 PORT+92 (Kafka protocol), +93 (controller/Raft), +90 (HTTP) "
                    + "(default: ${DEFAULT-VALUE}).")
    int basePort;

    @Option(names = "--kafka-jvm-opts", defaultValue = KAFKA_SCRIPT_JVM_OPTS, paramLabel = "OPTS",
            description = "JVM options of the Kafka process (default: those of Kafka's start scripts: "
                    + "${DEFAULT-VALUE}).")
    String kafkaJvmOpts;

    @Option(names = "--millrace-jvm-opts", defaultValue = "", paramLabel = "OPTS",
            description = "Extra JVM options of the Millrace process (default: none). The class-data archive "
                    + "and syncfs options that bin/millrace start uses are always added.")
    String millraceJvmOpts;

    @Option(names = "--millrace-config", paramLabel = "KEY=VALUE",
            description = "A Millrace setting (as in config-docs) for every Millrace broker of the run, e.g. "
                    + "log.page.cache.retain.bytes=268435456; repeatable (default: none, every setting at its "
                    + "default). The report lists them.")
    Map<String, String> millraceConfig = new LinkedHashMap<>();

    @Option(names = "--keep-data", description = "Keep each broker's data directory (default: deleted after the run).")
    boolean keepData;

    private PrintWriter stdout;

    @Override
    public Integer call() throws Exception {
        stdout = new PrintWriter(System.out, true);
        Path root = repositoryRoot();
        Path classpathFile = kafkaClasspath != null ? kafkaClasspath : root.resolve("bench/target/kafka.classpath");
        Path jar = millraceJar != null ? millraceJar : root.resolve("server/target/millrace.jar");
        Path outDir = out != null ? out : root.resolve("bench/target/compare")
                .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        List<Workload> chosen = new ArrayList<>();
        for (String name : workloads) {
            try {
                chosen.add(Workload.parse(name));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--workloads takes W1, W1H, W2, W3, W4, W5, not " + name);
            }
        }
        if (rounds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--rounds must be at least 1");
        }
        for (String policy : policies) {
            if (!policy.equals("durable") && !policy.equals("relaxed")) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--millrace-policies takes durable and/or relaxed, not " + policy);
            }
        }
        String classpath = null;
        if (!noKafka) {
            if (!Files.isRegularFile(classpathFile)) {
                stdout.println("No Kafka classpath at " + classpathFile + ": run `mvn -pl bench package -Pcompare "
                        + "-DskipTests` in " + root + " first (it downloads Apache Kafka 4.3.1 from Maven Central).");
                return 2;
            }
            classpath = String.join(java.io.File.pathSeparator,
                    Files.readString(classpathFile).trim().lines().map(String::trim).toList());
        }
        if (!Files.isRegularFile(jar)) {
            stdout.println("No Millrace jar at " + jar + ": run `mvn -pl server -am package -DskipTests` first.");
            return 2;
        }
        Files.createDirectories(outDir.resolve("runs"));
        Files.createDirectories(outDir.resolve("logs"));
        Path workDir = outDir.resolve("work");

        List<String> brokers = new ArrayList<>();
        if (!noKafka) {
            brokers.add("kafka");
        }
        policies.forEach(policy -> brokers.add("millrace-" + policy));
        List<String> millraceOpts = new ArrayList<>(split(millraceJvmOpts));
        millraceOpts.addAll(classDataSharing(jar, outDir, workDir));

        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("machine", Machine.describe());
        setup.put("rounds", rounds);
        setup.put("workloads", chosen.stream().map(Enum::name).toList());
        setup.put("duration", duration == null ? "default" : duration.toMillis() + "ms");
        setup.put("settle", settle.toMillis() + "ms");
        setup.put("w3_bytes", w3Bytes);
        setup.put("brokers", brokers);
        setup.put("kafka_jvm_opts", kafkaJvmOpts);
        setup.put("millrace_jvm_opts", String.join(" ", millraceOpts));
        setup.put("millrace_config", new LinkedHashMap<>(millraceConfig));
        setup.put("millrace_jar", jar.toString());
        setup.put("command_line", spec == null ? List.of() : spec.commandLine().getParseResult().originalArgs());
        stdout.println("Comparing " + brokers + " on " + chosen + ", " + rounds + " round(s); report in " + outDir);
        stdout.println("Machine: " + Machine.describe());

        Report report = new Report(brokers);
        boolean failed = false;
        for (int round = 1; round <= rounds; round++) {
            // Brokers alternate within a round, and each round starts with the next one, so no broker
            // always runs first (on a machine still settling) or always right after another.
            List<String> order = rotated(brokers, round - 1);
            for (Workload workload : chosen) {
                report.describe(workload);
                long rate = workload == Workload.W1H ? w1hRate(report) : 0;
                for (String broker : order) {
                    if (workload == Workload.W1H && rate <= 0) {
                        report.add("W1H", broker, Report.Run.failed(round, "no rate: run W1 on Kafka before W1H "
                                + "(--workloads W1,W1H) or pass --w1h-rate"));
                        failed = true;
                        continue;
                    }
                    failed |= !runOnce(round, workload, rate, broker, classpath, jar, millraceOpts, outDir, workDir,
                            report);
                }
            }
        }
        report.print(stdout);
        Files.writeString(outDir.resolve("compare.json"), Json.write(report.toJson(setup)));
        Files.writeString(outDir.resolve("compare.md"), report.toMarkdown(setup), StandardCharsets.UTF_8);
        stdout.println("Wrote " + outDir.resolve("compare.json") + " and " + outDir.resolve("compare.md"));
        if (!keepData) {
            BrokerProcess.deleteTree(workDir);
        }
        return failed ? 1 : 0;
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * The options {@code bin/millrace start} adds once it has a class-data archive for the jar. The
     * first start after a build records one when the node exits; when there is none yet, one
     * unmeasured start records it here, so every measured start is like a user's second start.
     */
    private List<String> classDataSharing(Path jar, Path outDir, Path workDir) throws Exception {
        Path archive = jar.resolveSibling("millrace.jsa");
        if (!isNewer(archive, jar)) {
            stdout.println("Recording the class-data archive " + archive + " (one unmeasured Millrace start)");
            Files.deleteIfExists(archive);
            Path dir = workDir.resolve("class-data");
            BrokerProcess.deleteTree(dir);
            BrokerProcess.Spec training = new BrokerProcess.Spec("millrace-class-data", "durable", dir.resolve("data"),
                    outDir.resolve("logs").resolve("class-data.log"), basePort + 92, basePort + 93, basePort + 90,
                    List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"),
                    Map.of());
            BrokerProcess.startMillrace(training, jar).close();
            BrokerProcess.deleteTree(dir);
        }
        if (!isNewer(archive, jar)) {
            stdout.println("No class-data archive; Millrace starts without one");
            return List.of();
        }
        return List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto", "-Xlog:cds=off");
    }

    private static boolean isNewer(Path file, Path than) throws IOException {
        return Files.isRegularFile(file) && Files.getLastModifiedTime(file).compareTo(Files.getLastModifiedTime(than)) > 0;
    }

    /** W1H's rate: given, or half the median of Kafka's W1 msg/s so far (0 when there is none). */
    private long w1hRate(Report report) {
        if (w1hRate != null) {
            return w1hRate;
        }
        double kafkaW1 = report.median("W1", "kafka", "msg_per_s");
        return Double.isNaN(kafkaW1) ? 0 : Math.round(kafkaW1 / 2);
    }

    static <T> List<T> rotated(List<T> list, int by) {
        List<T> copy = new ArrayList<>(list);
        Collections.rotate(copy, -(by % Math.max(1, list.size())));
        return copy;
    }

    /** Starts the broker, runs the workload's steps against it, records the figures, stops it. */
    private boolean runOnce(int round, Workload workload, long w1hRate, String broker, String classpath, Path jar,
                            List<String> millraceOpts, Path outDir, Path workDir, Report report) throws Exception {
        String id = "r" + round + "-" + workload + "-" + broker;
        stdout.printf("%n=== round %d/%d, %s on %s ===%n", round, rounds, workload, broker);
        Path dir = workDir.resolve(id);
        BrokerProcess.deleteTree(dir);
        Files.createDirectories(dir);
        boolean kafka = broker.equals("kafka");
        BrokerProcess.Spec brokerSpec = new BrokerProcess.Spec(broker,
                kafka ? null : broker.substring("millrace-".length()), dir.resolve("data"),
                outDir.resolve("logs").resolve(id + ".log"), basePort + 92, basePort + 93, basePort + 90,
                kafka ? split(kafkaJvmOpts) : millraceOpts, kafka ? Map.of() : millraceConfig);
        List<Workload.Step> steps = workload.steps(duration, w3Bytes, w1hRate);
        BrokerProcess process;
        try {
            process = kafka ? BrokerProcess.startKafka(brokerSpec, classpath) : BrokerProcess.startMillrace(brokerSpec, jar);
        } catch (IllegalStateException | IOException e) {
            stdout.println("FAILED to start " + broker + ": " + e.getMessage());
            steps.stream().filter(Workload.Step::measured).forEach(step ->
                    report.add(step.label(), broker, Report.Run.failed(round, "start: " + e.getMessage())));
            return false;
        }
        boolean ok = true;
        try {
            stdout.printf(Locale.ROOT, "%s ready in %.3f s (pid %d)%n", broker, process.readySeconds(), process.pid());
            for (Workload.Step step : steps) {
                double cpuBefore = process.cpuSeconds();
                Path json = outDir.resolve("runs").resolve(id + "-" + step.label().replace(' ', '-')
                        .replace('/', '-') + ".json");
                List<String> args = new ArrayList<>(step.args());
                args.addAll(List.of("--bootstrap", brokerSpec.bootstrap(), "--json", json.toString(),
                        "--broker-pid", Long.toString(process.pid())));
                stdout.println("--- " + step.label() + ": bench " + step.subcommand() + " " + String.join(" ", args));
                AtomicReference<Exception> error = new AtomicReference<>();
                int code = runLoadTool(step.subcommand(), args, error);
                double cpuAfter = process.cpuSeconds();
                if (!step.measured()) {
                    if (code != 0 || !process.isAlive()) {
                        ok = false;
                        stdout.println("FAILED: " + step.label() + " exited " + code);
                    }
                    continue;
                }
                Report.Run run;
                if (!Files.isRegularFile(json) || error.get() != null) {
                    ok = false;
                    run = Report.Run.failed(round, "load tool exited " + code
                            + (error.get() == null ? "" : ": " + error.get()));
                } else {
                    Object summary = Json.parse(Files.readString(json));
                    run = Report.Run.of(round, summary, step.meter(), process.readySeconds(),
                            process.peakRssBytes(), process.rssBytes(), cpuAfter, cpuAfter - cpuBefore);
                    if (code != 0) {
                        ok = false;
                    }
                }
                if (!process.isAlive()) {
                    ok = false;
                    run = Report.Run.failed(round, broker + " exited during the run");
                }
                report.add(step.label(), broker, run);
            }
        } finally {
            process.close();
            if (!keepData) {
                BrokerProcess.deleteTree(dir);
            }
            Thread.sleep(settle.toMillis());
        }
        return ok;
    }

    /** Runs a load-tool subcommand (produce, consume, e2e) in this JVM, as `millrace bench` would. */
    private int runLoadTool(String subcommand, List<String> args, AtomicReference<Exception> error) {
        // A new BenchMain builds new subcommand objects: no option values carry over from the previous run.
        Object load = new CommandLine(new BenchMain()).getSubcommands().get(subcommand).getCommand();
        CommandLine command = new CommandLine(load);
        command.setOut(stdout);
        command.setErr(stdout);
        command.setExecutionExceptionHandler((exception, commandLine, parsed) -> {
            error.set(exception);
            stdout.println("bench " + subcommand + " failed: " + exception);
            return 1;
        });
        int code = command.execute(args.toArray(String[]::new));
        stdout.flush();
        return code;
    }

    private static List<String> split(String options) {
        return Arrays.stream(options.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    /** The checkout this jar was built in (bench/target/millrace-bench.jar), else the working directory. */
    static Path repositoryRoot() {
        try {
            Path location = Path.of(CompareCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path target = location.getParent();
            if (target != null && target.getParent() != null) {
                Path root = target.getParent().getParent();
                if (root != null && Files.isRegularFile(root.resolve("bench/pom.xml"))) {
                    return root;
                }
            }
        } catch (Exception e) {
            // Fall through.
        }
        return Path.of("").toAbsolutePath();
    }

    /** 500ms, 30s, 2m, 1h, or a bare number of seconds. */
    static final class DurationArg implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long n = Long.parseLong(v.replaceAll("[smh]$", ""));
            return switch (v.charAt(v.length() - 1)) {
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            };
        }
    }

    /** 5GB, 512MB, 64KB (powers of 1000), 1GiB, 512MiB (powers of 1024), or bytes. */
    static final class SizeArg implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String v = value.trim().toUpperCase(Locale.ROOT);
            String[][] units = {{"GIB", "1073741824"}, {"MIB", "1048576"}, {"KIB", "1024"},
                {"GB", "1000000000"}, {"MB", "1000000"}, {"KB", "1000"}, {"B", "1"}};
            for (String[] unit : units) {
                if (v.endsWith(unit[0])) {
                    return Math.round(Double.parseDouble(v.substring(0, v.length() - unit[0].length()).trim())
                            * Long.parseLong(unit[1]));
                }
            }
            return Long.parseLong(v);
        }
    }
}
