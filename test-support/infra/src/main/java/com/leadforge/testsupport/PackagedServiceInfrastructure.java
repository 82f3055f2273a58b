package com.leadforge.testsupport;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Quarkus test resource for {@code @QuarkusIntegrationTest}s: the packaged artifact (JVM or native) runs in its
 * production profile, configured the way a deployment configures it, by the environment-variable names the services
 * document (database, {@code KAFKA_BOOTSTRAP_SERVERS}, {@code QUARKUS_OIDC_AUTH_SERVER_URL}), on loopback and free
 * ports only. With a {@code database} argument it starts a real PostgreSQL and Kafka ({@link RealInfrastructure},
 * same arguments); every argument named {@code config.<key>} is passed on as {@code <key>}. Tokens are verified by
 * OIDC discovery and JWKS, as in production, against {@link OidcProviderStub} (the {@link TestTokens} key). The
 * management interface's URL and the broker are published to the test as the system properties
 * {@value #MANAGEMENT_URL} and {@value #KAFKA_BOOTSTRAP_SERVERS} (an integration test runs outside the application, so
 * it cannot inject them).
 */
public class PackagedServiceInfrastructure implements QuarkusTestResourceLifecycleManager {

    public static final String MANAGEMENT_URL = "leadforge.it.management-url";
    public static final String KAFKA_BOOTSTRAP_SERVERS = "leadforge.it.kafka-bootstrap-servers";

    private final Map<String, String> extra = new LinkedHashMap<>();
    private RealInfrastructure infrastructure;
    private OidcProviderStub oidc;

    @Override
    public void init(Map<String, String> args) {
        if (args.containsKey("database")) {
            infrastructure = new RealInfrastructure();
            infrastructure.init(args);
        }
        args.forEach((key, value) -> {
            if (key.startsWith("config.")) {
                extra.put(key.substring("config.".length()), value);
            }
        });
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        if (infrastructure != null) {
            Map<String, String> real = infrastructure.start();
            config.putAll(real);
            // What a deployment sets, under the names production requires (RequiredSettings).
            config.put("QUARKUS_DATASOURCE_JDBC_URL", real.get("quarkus.datasource.jdbc.url"));
            config.put("QUARKUS_DATASOURCE_USERNAME", real.get("quarkus.datasource.username"));
            config.put("QUARKUS_DATASOURCE_PASSWORD", real.get("quarkus.datasource.password"));
            config.put("KAFKA_BOOTSTRAP_SERVERS", real.get("kafka.bootstrap.servers"));
            System.setProperty(KAFKA_BOOTSTRAP_SERVERS, real.get("kafka.bootstrap.servers"));
        }
        // No configured key (an empty value is no value): the service must find the key by discovery, as with Keycloak.
        config.put("quarkus.oidc.public-key", "");
        oidc = OidcProviderStub.start();
        config.put("QUARKUS_OIDC_AUTH_SERVER_URL", oidc.realmUrl());
        // Keycloak's tokens name the issuer the clients used; the test tokens name the test issuer.
        config.put("quarkus.oidc.token.issuer", TestTokens.ISSUER);
        config.put("LEADFORGE_JSON_LOGS", "false");
        config.put("quarkus.http.host", "127.0.0.1");
        int managementPort = Ports.free();
        config.put("quarkus.management.host", "127.0.0.1");
        config.put("quarkus.management.port", String.valueOf(managementPort));
        config.putAll(extra);
        System.setProperty(MANAGEMENT_URL, "http://127.0.0.1:" + managementPort);
        return config;
    }

    /**
     * After the module's other resources: a {@code @QuarkusTestResource} not restricted to its class applies to
     * integration tests too, and its settings (another database, the test key as {@code quarkus.oidc.public-key})
     * must not decide which infrastructure the artifact uses; the last resource's settings win.
     */
    @Override
    public int order() {
        return 1000;
    }

    @Override
    public void stop() {
        System.clearProperty(MANAGEMENT_URL);
        System.clearProperty(KAFKA_BOOTSTRAP_SERVERS);
        try {
            if (oidc != null) {
                oidc.close();
            }
        } finally {
            if (infrastructure != null) {
                infrastructure.stop();
            }
        }
    }

    /** The management interface of the artifact under test (health, metrics, OpenAPI). */
    public static String managementUrl() {
        return published(MANAGEMENT_URL);
    }

    /** The broker the artifact under test uses. */
    public static String kafkaBootstrapServers() {
        return published(KAFKA_BOOTSTRAP_SERVERS);
    }

    private static String published(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException(property + " is not set: no packaged service with infrastructure is "
                    + "running under PackagedServiceInfrastructure");
        }
        return value;
    }
}
