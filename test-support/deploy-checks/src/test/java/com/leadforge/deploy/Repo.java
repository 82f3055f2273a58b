package com.leadforge.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The repository under test and the external tools the checks run. A check whose tool is not installed is skipped
 * (JUnit assumption) with a message naming the tool and deploy/tools/install.sh; anything else that goes wrong fails.
 */
final class Repo {

    static final ObjectMapper YAML = new YAMLMapper();
    static final ObjectMapper JSON = new ObjectMapper();

    static final Path ROOT = Path.of(System.getProperty("leadforge.repo-root", "../..")).toAbsolutePath().normalize();
    static final Path K8S_SCHEMAS = Path.of(System.getProperty("leadforge.k8s-schemas", "../../../shared/k8s-schemas"))
            .toAbsolutePath().normalize();
    static final Path WORK = ROOT.resolve("test-support/deploy-checks/target/deploy-checks");

    private Repo() {
    }

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    static String read(String relative) {
        try {
            return Files.readString(path(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + relative, e);
        }
    }

    static JsonNode yaml(String relative) {
        try {
            return YAML.readTree(path(relative).toFile());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot parse " + relative, e);
        }
    }

    /** Every document of a multi-document YAML text. */
    static List<JsonNode> documents(String yaml) {
        try (var parser = new YAMLFactory().createParser(yaml)) {
            List<JsonNode> docs = new ArrayList<>();
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            }
            return docs;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot parse YAML", e);
        }
    }

    /** Skips the calling test, with a message in the log and the report, when {@code tool} is not on the PATH. */
    static void requireTool(String tool, String what) {
        if (!onPath(tool)) {
            String message = tool + " is not installed: " + what + " SKIPPED (deploy/tools/install.sh installs it)";
            System.out.println("[deploy-checks] " + message);
            Assumptions.abort(message);
        }
    }

    static boolean onPath(String tool) {
        String pathEnv = System.getenv().getOrDefault("PATH", "");
        for (String dir : pathEnv.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    record Result(int exitCode, String output) {
    }

    /** Runs a command in the repository root, stdout and stderr together, bounded in time. */
    static Result run(List<String> command, Map<String, String> env, long timeoutSeconds) {
        try {
            Files.createDirectories(WORK);
            Path out = Files.createTempFile(WORK, "out-", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile())
                    .redirectErrorStream(true).redirectOutput(out.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Result run(String... command) {
        return run(List.of(command), Map.of(), 300);
    }

    static void assertSucceeded(Result result, String what) {
        assertTrue(result.exitCode() == 0, what + " failed (exit " + result.exitCode() + "):\n" + result.output());
    }
}
