package com.leadforge.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds java executables for child processes. */
public final class JavaRuntime {

    /** The java running this JVM, so that children use the JDK the build chose. */
    public static String current() {
        return ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    }

    /**
     * JVM options for a server child process (Kafka, a service) of at most {@code maxHeap}. By default they favour
     * start-up (C1 only, serial GC): the test suites start and kill processes many times and never run long. Setting
     * {@code -Dleadforge.children.jvm=service} gives the JIT and collector a deployed JVM gets, for the benchmarks and
     * the local run, whose figures would otherwise measure the quick-start compiler rather than the code.
     */
    public static List<String> serverOptions(String minHeap, String maxHeap) {
        List<String> options = new java.util.ArrayList<>(List.of("-Xms" + minHeap, "-Xmx" + maxHeap));
        if ("service".equals(System.getProperty("leadforge.children.jvm", "quick-start"))) {
            options.add("-XX:+UseParallelGC");
        } else {
            options.addAll(Arrays.asList("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        }
        return options;
    }

    /**
     * A JDK home of at least {@code minimumFeature} (Keycloak documents JDK 21+): {@code LEADFORGE_KEYCLOAK_JAVA_HOME},
     * this JVM if new enough, else the newest under /usr/lib/jvm.
     */
    public static Optional<Path> homeAtLeast(int minimumFeature) {
        String configured = System.getenv("LEADFORGE_KEYCLOAK_JAVA_HOME");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured));
        }
        if (Runtime.version().feature() >= minimumFeature) {
            return Optional.of(Path.of(System.getProperty("java.home")));
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(home -> Files.isExecutable(home.resolve("bin/java")))
                    .filter(home -> featureOf(home) >= minimumFeature)
                    .max(Comparator.comparingInt(JavaRuntime::featureOf));
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    private static int featureOf(Path home) {
        Path release = home.resolve("release");
        try {
            for (String line : Files.readAllLines(release)) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    String feature = version.split("[.+-]")[0];
                    return Integer.parseInt(feature);
                }
            }
        } catch (Exception e) {
            return 0;
        }
        return 0;
    }

    private JavaRuntime() {
    }
}
