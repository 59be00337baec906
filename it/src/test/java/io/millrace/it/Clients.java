package io.millrace.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs external Kafka clients as separate processes with a timeout, capturing what they print.
 *
 * <p>Output goes to files under {@code it/target/it-work/clients} (a process that prints more
 * than a pipe holds can never block on it), and stays there for diagnosis. A process still
 * running at its timeout is killed together with its descendants, and the result says so.
 */
public final class Clients {

    /** Debian's python3-kafka and python3-confluent-kafka install for this interpreter only. */
    public static final String PYTHON = "/usr/bin/python3";

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Map<String, String> PYTHON_ENV = Map.of("PYTHONUNBUFFERED", "1");

    private Clients() {
    }

    /** What a client process did. {@code exitCode} is -1 when it was killed at its timeout. */
    public record Result(String name, List<String> command, int exitCode, boolean timedOut,
                         String stdout, String stderr, Duration elapsed) {

        /** Fails the test, with everything the process printed, unless it exited 0 in time. */
        public Result assertSuccess() {
            if (timedOut || exitCode != 0) {
                throw new AssertionError(describe());
            }
            return this;
        }

        public List<String> stdoutLines() {
            return stdout.lines().toList();
        }

        /** Lines of stdout that start with {@code prefix + "\t"}, split at tabs, prefix removed. */
        public List<List<String>> taggedLines(String prefix) {
            return stdout.lines()
                    .filter(line -> line.startsWith(prefix + "\t"))
                    .map(line -> {
                        List<String> fields = Arrays.asList(line.split("\t", -1));
                        return fields.subList(1, fields.size());
                    })
                    .toList();
        }

        public String describe() {
            return name + (timedOut ? " TIMED OUT after " + elapsed.toMillis() + " ms"
                    : " exited with " + exitCode + " after " + elapsed.toMillis() + " ms")
                    + "\ncommand: " + String.join(" ", command)
                    + "\n--- stdout ---\n" + tail(stdout) + "\n--- stderr ---\n" + tail(stderr);
        }

        static String tail(String text) {
            int max = 20_000;
            return text.length() <= max ? text : "...(cut)...\n" + text.substring(text.length() - max);
        }
    }

    /**
     * Runs {@code command}, feeding it {@code stdin} (null for none) and waiting at most
     * {@code timeout}. {@code env} is added to this JVM's environment; {@code workDir} null means
     * this JVM's working directory.
     */
    public static Result run(String name, List<String> command, Duration timeout, String stdin,
                             Map<String, String> env, Path workDir) {
        try (Running running = start(name, command, stdin, env, workDir)) {
            return running.awaitExit(timeout);
        }
    }

    /**
     * Starts {@code command} and returns at once; the caller stops it with
     * {@link Running#stop(Duration)} or waits for it with {@link Running#awaitExit(Duration)}.
     * Arguments as for {@link #run}.
     */
    public static Running start(String name, List<String> command, String stdin, Map<String, String> env,
                                Path workDir) {
        Path outDir = TestEnv.workDir().resolve("clients");
        String base = String.format("%04d-%s", SEQUENCE.incrementAndGet(), name.replaceAll("[^A-Za-z0-9_.-]", "_"));
        Path out = outDir.resolve(base + ".out");
        Path err = outDir.resolve(base + ".err");
        long startNanos = System.nanoTime();
        Process process;
        try {
            Files.createDirectories(outDir);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            if (stdin == null) {
                builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            }
            if (workDir != null) {
                builder.directory(workDir.toFile());
            }
            builder.environment().putAll(env);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        if (stdin != null) {
            try (var in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // The process exited without reading all of its input; its output tells why.
            }
        }
        return new Running(name, List.copyOf(command), process, out, err, startNanos);
    }

    /**
     * A client process started by {@link #start}. What it has printed so far can be read while it
     * runs. Closing it kills the process and its descendants if it is still running, so a
     * try-with-resources block never leaves a client behind when a test fails.
     */
    public static final class Running implements AutoCloseable {
        private final String name;
        private final List<String> command;
        private final Process process;
        private final Path out;
        private final Path err;
        private final long startNanos;

        private Running(String name, List<String> command, Process process, Path out, Path err, long startNanos) {
            this.name = name;
            this.command = command;
            this.process = process;
            this.out = out;
            this.err = err;
            this.startNanos = startNanos;
        }

        public String name() {
            return name;
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /** Everything the process has written to stdout so far. */
        public String stdoutSoFar() {
            return read(out);
        }

        /** Everything the process has written to stderr so far. */
        public String stderrSoFar() {
            return read(err);
        }

        /** What the process printed so far, for a failure message; it may still be running. */
        public String describeSoFar() {
            return name + (process.isAlive() ? " still running" : " exited with " + process.exitValue())
                    + " after " + Duration.ofNanos(System.nanoTime() - startNanos).toMillis() + " ms"
                    + "\ncommand: " + String.join(" ", command)
                    + "\n--- stdout ---\n" + Result.tail(stdoutSoFar())
                    + "\n--- stderr ---\n" + Result.tail(stderrSoFar());
        }

        /**
         * Waits at most {@code timeout} for the process to exit; kills it and its descendants when
         * it does not, and then reports it as timed out.
         */
        public Result awaitExit(Duration timeout) {
            try {
                boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (!exited) {
                    kill();
                }
                Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
                return new Result(name, command, exited ? process.exitValue() : -1, !exited,
                        read(out), read(err), elapsed);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running " + command, e);
            }
        }

        /**
         * Sends SIGTERM, which the client scripts answer by closing their client cleanly, and
         * waits at most {@code grace} for the process to exit (see {@link #awaitExit}).
         */
        public Result stop(Duration grace) {
            process.destroy();
            return awaitExit(grace);
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                kill();
            }
        }

        private void kill() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            try {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** kcat with the given arguments. */
    public static Result kcat(Duration timeout, String stdin, String... args) {
        return run("kcat", kcatCommand(args), timeout, stdin, Map.of(), null);
    }

    /** kcat with the given arguments, in the background. */
    public static Running startKcat(String... args) {
        return start("kcat", kcatCommand(args), null, Map.of(), null);
    }

    /** A script from it/src/test/python, run by /usr/bin/python3. */
    public static Result python(String script, Duration timeout, String... args) {
        return run(script, pythonCommand(script, args), timeout, null, PYTHON_ENV, null);
    }

    /** A script from it/src/test/python, run by /usr/bin/python3 in the background. */
    public static Running startPython(String script, String... args) {
        return start(script, pythonCommand(script, args), null, PYTHON_ENV, null);
    }

    /** A script from it/src/test/js, run by node with kafkajs from {@link TestEnv#jsDir()}. */
    public static Result node(String script, Duration timeout, String... args) {
        return run(script, nodeCommand(script, args), timeout, null, nodeEnv(), TestEnv.jsDir());
    }

    /** A script from it/src/test/js, run by node in the background. */
    public static Running startNode(String script, String... args) {
        return start(script, nodeCommand(script, args), null, nodeEnv(), TestEnv.jsDir());
    }

    private static List<String> kcatCommand(String... args) {
        List<String> command = new ArrayList<>();
        command.add("kcat");
        command.addAll(List.of(args));
        return command;
    }

    private static List<String> pythonCommand(String script, String... args) {
        List<String> command = new ArrayList<>();
        command.add(PYTHON);
        command.add(TestEnv.srcDir().resolve("python").resolve(script).toString());
        command.addAll(List.of(args));
        return command;
    }

    private static List<String> nodeCommand(String script, String... args) {
        List<String> command = new ArrayList<>();
        command.add("node");
        command.add(TestEnv.srcDir().resolve("js").resolve(script).toString());
        command.addAll(List.of(args));
        return command;
    }

    private static Map<String, String> nodeEnv() {
        return Map.of("NODE_PATH", TestEnv.jsDir().resolve("node_modules").toString(),
                "KAFKAJS_NO_PARTITIONER_WARNING", "1");
    }

    /**
     * One of Kafka's command-line tools (4.3.1, from Maven Central), run as its own JVM on the it
     * module's test classpath, e.g. {@code org.apache.kafka.tools.TopicCommand}.
     */
    public static Result kafkaTool(String mainClass, Duration timeout, String stdin, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-Dlog4j2.configurationFile="
                + TestEnv.srcDir().resolve("resources").resolve("log4j2-test.xml"));
        command.add("-cp");
        command.add(TestEnv.toolsClasspath());
        command.add(mainClass);
        command.addAll(List.of(args));
        String simpleName = mainClass.substring(mainClass.lastIndexOf('.') + 1);
        return run(simpleName, command, timeout, stdin, Map.of(), null);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }
}
