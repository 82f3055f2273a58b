package com.leadforge.testsupport;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The artifact a module's build packaged, as Quarkus records it in {@code target/quarkus-artifact.properties}: the
 * JVM application ({@code quarkus-app/quarkus-run.jar}) normally, the native executable under {@code -Pnative}. Tests
 * that start a packaged service as a process go through this, so the same test runs against whichever was built and
 * none assumes a jar.
 */
public record PackagedApplication(boolean nativeExecutable, Path path) {

    /** The artifact of the module whose directory is {@code module} (its {@code target/} holds the build). */
    public static PackagedApplication of(Path module) {
        Path target = module.resolve("target");
        Path record = target.resolve("quarkus-artifact.properties");
        if (!Files.isRegularFile(record)) {
            throw new IllegalStateException(record.toAbsolutePath() + " is missing: package "
                    + module.toAbsolutePath() + " first (./mvnw package -DskipTests)");
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(record)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String type = properties.getProperty("type", "");
        Path path = target.resolve(properties.getProperty("path", "")).toAbsolutePath();
        if (!type.equals("jar") && !type.equals("native")) {
            throw new IllegalStateException(record + " names a " + type + " artifact; only jar and native run here");
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path + " (named by " + record + ") is missing: package the module again");
        }
        return new PackagedApplication(type.equals("native"), path);
    }

    /** The artifact of the module the tests run in (Maven runs them from the module's directory). */
    public static PackagedApplication ofThisModule() {
        return of(Path.of(""));
    }

    /**
     * The command line starting the artifact. {@code jvmOptions} apply to the JVM application only, except heap sizes
     * ({@code -Xms}, {@code -Xmx}), which a native executable takes too; {@code systemProperties} ({@code -Dkey=value})
     * apply to both.
     */
    public List<String> command(List<String> jvmOptions, List<String> systemProperties) {
        List<String> command = new ArrayList<>();
        if (nativeExecutable) {
            command.add(path.toString());
            jvmOptions.stream().filter(option -> option.startsWith("-Xmx") || option.startsWith("-Xms"))
                    .forEach(command::add);
            command.addAll(systemProperties);
        } else {
            command.add(JavaRuntime.current());
            command.addAll(jvmOptions);
            command.addAll(systemProperties);
            command.addAll(List.of("-jar", path.toString()));
        }
        return command;
    }

    /** Where the process should run: next to the jar (its lib/ directory is relative) or the executable. */
    public Path workingDirectory() {
        return path.getParent();
    }
}
