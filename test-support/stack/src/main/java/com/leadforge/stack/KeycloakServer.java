package com.leadforge.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.leadforge.testsupport.Await;
import com.leadforge.testsupport.JavaRuntime;

/**
 * A real Keycloak ({@code keycloak-quarkus-dist} from Maven Central) in development mode on loopback, storing its
 * data in our PostgreSQL so that users and sessions survive a restart of the local stack. The {@code leadforge}
 * realm is imported on first start; an existing realm is left as it is.
 */
final class KeycloakServer implements AutoCloseable {

    static final String REALM = "leadforge";
    private final ManagedProcess process;
    private final int port;

    private KeycloakServer(ManagedProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    static KeycloakServer start(Path distribution, int port, int managementPort, String jdbcUrl, Path log) {
        if (!Files.isExecutable(distribution.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("No Keycloak distribution at " + distribution
                    + ": build test-support/stack first (./mvnw package -DskipTests)");
        }
        try {
            Path imports = Files.createDirectories(distribution.resolve("data/import"));
            try (InputStream realm = KeycloakServer.class.getResourceAsStream("/keycloak/leadforge-realm.json")) {
                Files.copy(realm, imports.resolve("leadforge-realm.json"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> env = new HashMap<>();
        // Keycloak documents JDK 21+; our default java may be 17, so use a newer JDK when the machine has one.
        JavaRuntime.homeAtLeast(21).ifPresent(home -> env.put("JAVA_HOME", home.toString()));
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin");
        env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx768m");
        List<String> command = List.of(distribution.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1", "--http-port=" + port, "--http-management-port=" + managementPort,
                "--hostname=http://127.0.0.1:" + port, "--health-enabled=true", "--import-realm",
                "--db=postgres", "--db-url=" + jdbcUrl, "--db-username=postgres", "--db-password=postgres",
                "--log-level=WARN,org.keycloak.services:INFO");
        ManagedProcess process = ManagedProcess.start("keycloak", command, env, distribution, log);
        KeycloakServer server = new KeycloakServer(process, port);
        try {
            Await.until("Keycloak ready on port " + port, Duration.ofSeconds(240), () -> {
                process.assertAlive();
                return Http.isOk("http://127.0.0.1:" + managementPort + "/health/ready")
                        && Http.isOk(server.issuer() + "/.well-known/openid-configuration");
            });
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The issuer of every token, fixed by {@code --hostname} whatever host name a client used. */
    String issuer() {
        return "http://127.0.0.1:" + port + "/realms/" + REALM;
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        process.close();
    }
}
