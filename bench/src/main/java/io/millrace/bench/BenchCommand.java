package io.millrace.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What the subcommands share: validate options, make sure the topic exists, run, print the
 * summary, write {@code --json}. Exit code 0 when the run saw no error, 1 when it did (so scripts
 * can require zero failed sends), 2 for bad options.
 *
 * <p>Ctrl-C stops a run early and still prints the summary: the shutdown hook stops the clock and
 * waits (at most 30 s) for the summary to be written.
 */
abstract class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    private final AtomicReference<Summary> summary = new AtomicReference<>();
    private final AtomicReference<RunClock> clock = new AtomicReference<>();
    private final CountDownLatch finished = new CountDownLatch(1);

    /** The last run's summary, for callers that run the command in-process (tests). */
    Summary summary() {
        return summary.get();
    }

    /**
     * Checks the subcommand's own options; runs before {@link CommonOptions#validate()}.
     *
     * @throws IllegalArgumentException for options that contradict each other or are out of range
     */
    abstract void validate();

    /** Runs the workload against a topic that exists and has {@code partitions} partitions with leaders. */
    abstract Summary run(PrintWriter out, int partitions) throws Exception;

    /** Called by {@link #run} with the clock as soon as it starts, so Ctrl-C can stop it. */
    void started(RunClock runClock) {
        clock.set(runClock);
    }

    @Override
    public Integer call() throws Exception {
        try {
            validate();
            common.validate();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        Thread hook = new Thread(this::onInterrupt, "bench-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            int partitions;
            try (Admin admin = Admin.create(Clients.admin(common))) {
                partitions = Topics.ensure(admin, common.topic, common.partitions, common.replicationFactor, out);
            }
            Summary result = run(out, partitions);
            summary.set(result);
            result.print(out);
            if (common.json != null) {
                writeJson(result, out);
            }
            return result.errorCount() == 0 ? 0 : 1;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shutdownInProgress) {
                // The hook is running: it waits for `finished`, counted down above.
            }
        }
    }

    private void writeJson(Summary result, PrintWriter out) throws IOException {
        if (common.json.getParent() != null) {
            Files.createDirectories(common.json.getParent());
        }
        Files.writeString(common.json, Json.write(result.toJson()));
        out.println("Wrote " + common.json);
        out.flush();
    }

    private void onInterrupt() {
        RunClock running = clock.get();
        if (running != null) {
            running.stop();
        }
        try {
            finished.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The command line as given, for the JSON file. */
    List<String> args() {
        return spec.commandLine().getParseResult().originalArgs();
    }

    static void joinAll(List<Thread> threads) throws InterruptedException {
        for (Thread thread : threads) {
            thread.join();
        }
    }
}
