package com.leadforge.scraping.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.leadforge.testsupport.PackagedApplication;

/**
 * The packaged service in its production profile refuses to start on local defaults: with its database, broker,
 * identity provider or credential key not given, it exits before connecting anywhere, naming every missing variable
 * in one message. (Every service and the gateway list their requirements the same way; this one is the sample that
 * runs.)
 */
class ProductionStartupIT {

    static final Map<String, String> REQUIRED = Map.of(
            "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:1/scraping",
            "QUARKUS_DATASOURCE_USERNAME", "scraping",
            "QUARKUS_DATASOURCE_PASSWORD", "not-a-default",
            "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1",
            "QUARKUS_OIDC_AUTH_SERVER_URL", "http://127.0.0.1:1/realms/leadforge",
            "LEADFORGE_CRYPTO_ACTIVE_KEY", "k1");

    @Test
    void withNothingConfiguredItExitsNamingEveryMissingVariable() throws Exception {
        Result result = start(Map.of());
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("Configuration validation failed"), result.output());
        for (String variable : REQUIRED.keySet()) {
            assertTrue(result.output().contains("Could not expand value " + variable + " "),
                    variable + " is not named:\n" + result.output());
        }
        assertFalse(result.output().contains("OIDC Server is not available"),
                "it must stop before trying to connect:\n" + result.output());
    }

    @Test
    void aSingleMissingSecretIsNamedAlone() throws Exception {
        Map<String, String> environment = new LinkedHashMap<>(REQUIRED);
        environment.remove("QUARKUS_DATASOURCE_PASSWORD");
        Result result = start(environment);
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("Could not expand value QUARKUS_DATASOURCE_PASSWORD "), result.output());
        for (String other : List.of("QUARKUS_DATASOURCE_JDBC_URL", "KAFKA_BOOTSTRAP_SERVERS",
                "QUARKUS_OIDC_AUTH_SERVER_URL", "LEADFORGE_CRYPTO_ACTIVE_KEY")) {
            assertFalse(result.output().contains("Could not expand value " + other + " "), result.output());
        }
        assertEquals(1, result.output().split("Could not expand value", -1).length - 1, result.output());
    }

    record Result(int exitCode, String output) {
    }

    /** Runs the packaged service with exactly {@code environment} (nothing inherited) until it exits. */
    private static Result start(Map<String, String> environment) throws IOException, InterruptedException {
        Path log = Files.createTempFile(Path.of("target"), "production-startup-", ".log");
        ProcessBuilder builder = new ProcessBuilder(PackagedApplication.ofThisModule()
                .command(List.of("-Xmx256m"), List.of()))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = builder.start();
        try {
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the service did not stop; see " + log);
        } finally {
            process.destroyForcibly();
        }
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
