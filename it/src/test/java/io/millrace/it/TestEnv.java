package io.millrace.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * Where the integration tests find what the build prepared for them. maven-failsafe-plugin sets
 * each {@code millrace.*} system property (see it/pom.xml); the defaults let a test also run from
 * an IDE whose working directory is the it module.
 */
public final class TestEnv {

    private TestEnv() {
    }

    /** True when the environment variable CI is "true": missing clients then fail instead of skipping. */
    public static boolean isCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** The shaded broker jar built by the server module. */
    public static Path millraceJar() {
        return path("millrace.jar", "../server/target/millrace.jar");
    }

    /** it/src/test: the Python and JavaScript client scripts live under it. */
    public static Path srcDir() {
        return path("millrace.it.srcDir", "src/test");
    }

    /** Scratch space for node data dirs, node logs and client output; under it/target. */
    public static Path workDir() {
        return path("millrace.it.workDir", "target/it-work");
    }

    /** Where scripts/install-test-clients.sh ran {@code npm ci}; holds node_modules/kafkajs. */
    public static Path jsDir() {
        return path("millrace.it.jsDir", "target/js");
    }

    /** The output of scripts/install-test-clients.sh from the current build, if it ran. */
    public static Path installLog() {
        return path("millrace.it.installLog", "target/test-clients-install.log");
    }

    /** The test classpath (written by maven-dependency-plugin) on which Kafka's CLI tools run. */
    public static String toolsClasspath() {
        Path file = path("millrace.it.toolsClasspathFile", "target/kafka-tools.classpath");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("Kafka tools classpath file " + file
                    + " is missing; it is written by `mvn -pl it generate-test-resources`");
        }
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh (emptied) directory under {@link #workDir()}. */
    public static Path freshWorkDir(String name) {
        Path dir = workDir().resolve(name);
        try {
            if (Files.exists(dir)) {
                try (var paths = Files.walk(dir)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path path(String property, String fallback) {
        return Path.of(System.getProperty(property, fallback)).toAbsolutePath().normalize();
    }
}
