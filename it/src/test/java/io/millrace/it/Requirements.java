package io.millrace.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;

/**
 * Checks that an external client a test needs is installed. A missing client makes the test
 * SKIPPED with a loud message on stderr, except under CI=true, where the test fails: CI must
 * never go green by skipping what it was meant to run.
 */
public final class Requirements {

    private static final Map<String, Boolean> CHECKED = new ConcurrentHashMap<>();

    private Requirements() {
    }

    public static void requireKcat() {
        requireClient("kcat", () -> commandSucceeds(List.of("kcat", "-V")), "Debian package kcat");
    }

    public static void requireKafkaPython() {
        requireClient("kafka-python for /usr/bin/python3",
                () -> commandSucceeds(List.of(Clients.PYTHON, "-c", "import kafka")),
                "Debian package python3-kafka");
    }

    public static void requireConfluentKafkaPython() {
        requireClient("confluent-kafka-python for /usr/bin/python3",
                () -> commandSucceeds(List.of(Clients.PYTHON, "-c", "import confluent_kafka")),
                "Debian package python3-confluent-kafka");
    }

    public static void requireKafkajs() {
        requireClient("kafkajs (node)", () -> Files.isRegularFile(
                        TestEnv.jsDir().resolve("node_modules/kafkajs/package.json"))
                        && commandSucceeds(List.of("node", "--version")),
                "npm ci of it/src/test/js/package-lock.json into " + TestEnv.jsDir());
    }

    /** The broker jar is built by the server module earlier in the same `mvn verify`. */
    public static void requireMillraceJar(Path jar) {
        require("the Millrace broker jar " + jar, () -> Files.isRegularFile(jar),
                "The server module builds it: run `mvn -B verify` from the repository root, or build"
                        + " the server module (`mvn -B -pl server -am package`) before running only it/.");
    }

    private static void requireClient(String what, BooleanSupplier check, String installedBy) {
        Path log = TestEnv.installLog();
        require(what, check, "It is installed by scripts/install-test-clients.sh (" + installedBy
                + "), which `mvn verify` runs; it needs root and access to Debian's and npm's registries."
                + (Files.isRegularFile(log) ? " Its output from this build: " + log : ""));
    }

    /**
     * Skips (or, under CI=true, fails) the calling test unless {@code check} holds. The result of
     * each check is remembered for the rest of the test JVM.
     */
    public static void require(String what, BooleanSupplier check, String remedy) {
        if (CHECKED.computeIfAbsent(what, k -> check.getAsBoolean())) {
            return;
        }
        String detail = what + " is not available. " + remedy;
        if (TestEnv.isCi()) {
            String message = "FAILED because CI=true (it would be skipped otherwise): " + detail;
            System.err.println(banner(message));
            fail(message);
        }
        String message = "SKIPPED: " + detail;
        System.err.println(banner(message));
        Assumptions.abort(message);
    }

    private static String banner(String message) {
        String line = "*".repeat(100);
        return "\n" + line + "\n*** " + message + "\n" + line + "\n";
    }

    private static boolean commandSucceeds(List<String> command) {
        try {
            Clients.Result result = Clients.run("check", command, Duration.ofSeconds(30), null, Map.of(), null);
            return !result.timedOut() && result.exitCode() == 0;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
