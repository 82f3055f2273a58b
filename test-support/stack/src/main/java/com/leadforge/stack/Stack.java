package com.leadforge.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.leadforge.testsupport.Await;
import com.leadforge.testsupport.JavaRuntime;
import com.leadforge.testsupport.KafkaBroker;
import com.leadforge.testsupport.PackagedApplication;
import com.leadforge.testsupport.Ports;
import com.leadforge.testsupport.PostgresServer;

/**
 * The whole suite as real processes: PostgreSQL, Kafka, Keycloak, then the five services built by Maven
 * ({@code <module>/target/quarkus-app/quarkus-run.jar}). Closing it stops everything it started, in reverse order.
 */
public final class Stack implements AutoCloseable {

    public static final List<String> TOPICS = List.of("leadforge.lead-events", "leadforge.campaign-events",
            "leadforge.scraping-events");

    /** Service module, its database (null for the gateway). */
    private static final Map<String, String> SERVICES = new LinkedHashMap<>();
    static {
        SERVICES.put("lead-service", "leads");
        SERVICES.put("campaign-service", "campaigns");
        SERVICES.put("scraping-service", "scraping");
        SERVICES.put("analytics-service", "analytics");
        SERVICES.put("gateway", null);
    }

    /**
     * Where and how the stack runs. {@code serviceEnvironment} is added to every service's environment last (e.g. the
     * OTLP exporter settings of a test that collects traces).
     */
    public record Layout(Path repositoryRoot, Path keycloakDistribution, Path workDirectory, boolean persistent,
            StackPorts ports, Map<String, String> serviceEnvironment) {

        public Layout(Path repositoryRoot, Path keycloakDistribution, Path workDirectory, boolean persistent,
                StackPorts ports) {
            this(repositoryRoot, keycloakDistribution, workDirectory, persistent, ports, Map.of());
        }
    }

    /**
     * Every port the stack listens on. Each service has an API port and a management port (health, metrics, OpenAPI);
     * the local stack uses fixed, documented ones (README), tests free ones.
     */
    public record StackPorts(int postgres, int kafka, int kafkaController, int keycloak, int keycloakManagement,
            int gateway, int lead, int campaign, int scraping, int analytics, int gatewayManagement,
            int leadManagement, int campaignManagement, int scrapingManagement, int analyticsManagement) {

        /** Fixed, documented ports for the local stack. */
        public static StackPorts local() {
            return new StackPorts(15432, 19092, 19093, 8180, 9180, 8080, 8081, 8082, 8083, 8084, 9080, 9081, 9082,
                    9083, 9084);
        }

        /** Free ports, for tests that must not collide with anything running. */
        public static StackPorts free() {
            return new StackPorts(Ports.free(), Ports.free(), Ports.free(), Ports.free(), Ports.free(), Ports.free(),
                    Ports.free(), Ports.free(), Ports.free(), Ports.free(), Ports.free(), Ports.free(), Ports.free(),
                    Ports.free(), Ports.free());
        }

        int of(String service) {
            return switch (service) {
                case "lead-service" -> lead;
                case "campaign-service" -> campaign;
                case "scraping-service" -> scraping;
                case "analytics-service" -> analytics;
                case "gateway" -> gateway;
                default -> throw new IllegalArgumentException(service);
            };
        }

        int managementOf(String service) {
            return switch (service) {
                case "lead-service" -> leadManagement;
                case "campaign-service" -> campaignManagement;
                case "scraping-service" -> scrapingManagement;
                case "analytics-service" -> analyticsManagement;
                case "gateway" -> gatewayManagement;
                default -> throw new IllegalArgumentException(service);
            };
        }

        List<Integer> all() {
            return List.of(postgres, kafka, kafkaController, keycloak, keycloakManagement, gateway, lead, campaign,
                    scraping, analytics, gatewayManagement, leadManagement, campaignManagement, scrapingManagement,
                    analyticsManagement);
        }
    }

    private final Layout layout;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private PostgresServer postgres;
    private KafkaBroker kafka;
    private KeycloakServer keycloak;

    private Stack(Layout layout) {
        this.layout = layout;
    }

    public static Stack start(Layout layout) {
        Stack stack = new Stack(layout);
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() {
        for (int port : layout.ports().all()) {
            if (Ports.isOpen(port)) {
                throw new IllegalStateException("Port " + port + " is already in use; stop whatever listens there "
                        + "(a previous stack?) and try again");
            }
        }
        StackPorts ports = layout.ports();
        Path work = layout.workDirectory();
        Path logs = work.resolve("logs");

        postgres = PostgresServer.start(work.resolve("postgres"), ports.postgres());
        started.push(postgres);
        for (String database : List.of("leads", "campaigns", "scraping", "analytics")) {
            postgres.ensureServiceDatabase(database);
        }
        postgres.ensureDatabase("keycloak");

        kafka = KafkaBroker.start(work.resolve("kafka"), ports.kafka(), ports.kafkaController(),
                !layout.persistent());
        started.push(kafka);
        List<String> topics = new ArrayList<>();
        TOPICS.forEach(topic -> {
            topics.add(topic);
            topics.add(topic + ".dlq");
        });
        kafka.ensureTopics(topics, 3);

        keycloak = KeycloakServer.start(layout.keycloakDistribution(), ports.keycloak(), ports.keycloakManagement(),
                postgres.jdbcUrl("keycloak"), logs.resolve("keycloak.log"));
        started.push(keycloak);

        // Start every service at once, then wait for each: on 2 cores this beats starting them one by one.
        Map<String, ManagedProcess> services = new LinkedHashMap<>();
        SERVICES.forEach((module, database) -> {
            ManagedProcess process = startService(module, database, logs);
            services.put(module, process);
            started.push(process);
        });
        services.forEach((module, process) -> Await.until(module + " ready", Duration.ofSeconds(180), () -> {
            process.assertAlive();
            return Http.isOk(readinessUrl(module));
        }, () -> "\n" + process.tail(30)));
    }

    private ManagedProcess startService(String module, String database, Path logs) {
        StackPorts ports = layout.ports();
        return startService(module, module, database, ports.of(module), ports.managementOf(module), logs);
    }

    private ManagedProcess startService(String module, String name, String database, int port, int managementPort,
            Path logs) {
        // The JVM application, or the native executable when the services were built with -Pnative.
        PackagedApplication application = PackagedApplication.of(layout.repositoryRoot().resolve(module));
        StackPorts ports = layout.ports();
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("QUARKUS_OIDC_AUTH_SERVER_URL", keycloak.issuer());
        env.put("LEADFORGE_JSON_LOGS", "false");
        if (database != null) {
            env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(database));
            env.put("QUARKUS_DATASOURCE_USERNAME", PostgresServer.APP_USER);
            env.put("QUARKUS_DATASOURCE_PASSWORD", PostgresServer.APP_PASSWORD);
        } else {
            env.put("LEADFORGE_GATEWAY_SERVICES_LEADS", "http://127.0.0.1:" + ports.lead());
            env.put("LEADFORGE_GATEWAY_SERVICES_CAMPAIGNS", "http://127.0.0.1:" + ports.campaign());
            env.put("LEADFORGE_GATEWAY_SERVICES_SCRAPING", "http://127.0.0.1:" + ports.scraping());
            env.put("LEADFORGE_GATEWAY_SERVICES_ANALYTICS", "http://127.0.0.1:" + ports.analytics());
            env.put("LEADFORGE_GATEWAY_MANAGEMENT_LEADS", "http://127.0.0.1:" + ports.leadManagement());
            env.put("LEADFORGE_GATEWAY_MANAGEMENT_CAMPAIGNS", "http://127.0.0.1:" + ports.campaignManagement());
            env.put("LEADFORGE_GATEWAY_MANAGEMENT_SCRAPING", "http://127.0.0.1:" + ports.scrapingManagement());
            env.put("LEADFORGE_GATEWAY_MANAGEMENT_ANALYTICS", "http://127.0.0.1:" + ports.analyticsManagement());
        }
        if ("scraping-service".equals(module)) {
            // Production refuses to start without a key sealing data-source credentials. The stack's own key lives
            // with its data, so a restarted local stack still opens what it sealed before.
            env.put("LEADFORGE_CRYPTO_ACTIVE_KEY", "stack");
            env.put("LEADFORGE_CRYPTO_KEYS_STACK", credentialKey());
        }
        env.putAll(layout.serviceEnvironment());
        List<String> command = application.command(JavaRuntime.serverOptions("64m", "384m"), List.of());
        return ManagedProcess.start(name, command, env, application.workingDirectory(),
                logs.resolve(name + ".log"));
    }

    /** A second process of a service, beside the stack's own: same database, Kafka group and settings, own ports. */
    public static final class Replica implements AutoCloseable {

        private final String url;
        private final ManagedProcess process;

        private Replica(String url, ManagedProcess process) {
            this.url = url;
            this.process = process;
        }

        /** Its API's base URL (it is not behind the gateway). */
        public String url() {
            return url;
        }

        @Override
        public void close() {
            process.close();
        }
    }

    /**
     * Starts another replica of {@code module} on free ports (as a second pod of its Deployment would run) and waits
     * until it is ready; closing the replica, or the stack, stops it. Its log is {@code <module>-replica.log}.
     */
    public Replica startReplica(String module) {
        int port = Ports.free();
        int managementPort = Ports.free();
        ManagedProcess process = startService(module, module + "-replica", databaseOf(module), port, managementPort,
                logs());
        started.push(process);
        String management = "http://127.0.0.1:" + managementPort;
        Await.until(module + " replica ready", Duration.ofSeconds(180), () -> {
            process.assertAlive();
            return Http.isOk(management + "/q/health/ready");
        }, () -> "\n" + process.tail(30));
        return new Replica("http://127.0.0.1:" + port, process);
    }

    /** 32 random bytes, base64, created on the stack's first start and kept in its work directory. */
    private String credentialKey() {
        Path file = layout.workDirectory().resolve("credential-key");
        try {
            if (!Files.exists(file)) {
                byte[] key = new byte[32];
                new java.security.SecureRandom().nextBytes(key);
                Files.createDirectories(file.getParent());
                Files.writeString(file, java.util.Base64.getEncoder().encodeToString(key));
            }
            return Files.readString(file).trim();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Could not keep the stack's credential key", e);
        }
    }

    public String gatewayUrl() {
        return "http://127.0.0.1:" + layout.ports().gateway();
    }

    public String serviceUrl(String module) {
        return "http://127.0.0.1:" + layout.ports().of(module);
    }

    /** Where a module's health, metrics and OpenAPI document answer (/q/...); its API port serves /api only. */
    public String managementUrl(String module) {
        return "http://127.0.0.1:" + layout.ports().managementOf(module);
    }

    public String keycloakUrl() {
        return "http://127.0.0.1:" + layout.ports().keycloak();
    }

    public String tokenEndpoint() {
        return keycloak.issuer() + "/protocol/openid-connect/token";
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    public Path logs() {
        return layout.workDirectory().resolve("logs");
    }

    /** Stops one service, for tests of how the others cope; {@link #close()} tolerates it being gone. */
    public void stopService(String module) {
        started.stream().filter(c -> c instanceof ManagedProcess p && p.name().equals(module)).findFirst()
                .ifPresent(c -> ((ManagedProcess) c).close());
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("Stopping the stack failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    // ---- Fault injection support (StackFaults builds on these; kept here because they need the started processes).

    /** Where {@code module} reports readiness; the one place that knows the health port and path. */
    public String readinessUrl(String module) {
        return managementUrl(module) + "/q/health/ready";
    }

    /** Where {@code module} reports liveness; next to {@link #readinessUrl(String)} for the same reason. */
    public String livenessUrl(String module) {
        return managementUrl(module) + "/q/health/live";
    }

    /** JDBC URL of one of the stack's databases (connect as {@link PostgresServer#USER} for superuser rights). */
    public String jdbcUrl(String database) {
        return postgres.jdbcUrl(database);
    }

    /** The database {@code module} owns, or null (the gateway has none). */
    public static String databaseOf(String module) {
        if (!SERVICES.containsKey(module)) {
            throw new IllegalArgumentException("Not a service of the stack: " + module);
        }
        return SERVICES.get(module);
    }

    /** The Kafka broker JVM's process id (fault tests pause it with SIGSTOP). */
    public long kafkaPid() {
        return kafka.pid();
    }

    /** {@code kill -9} of one service's JVM; {@link #restartService(String)} brings it back. */
    public void killService(String module) {
        serviceProcess(module).kill();
    }

    public boolean isServiceAlive(String module) {
        return serviceProcess(module).isAlive();
    }

    /**
     * Starts {@code module} again with the same ports and environment (its log continues in the same file) and waits
     * until it is ready. The previous process must be gone (killed or stopped).
     */
    public void restartService(String module) {
        ManagedProcess old = serviceProcess(module);
        if (old.isAlive()) {
            throw new IllegalStateException(module + " is still running; kill or stop it first");
        }
        ManagedProcess fresh = startService(module, databaseOf(module), logs());
        List<AutoCloseable> order = new ArrayList<>(started);
        started.clear();
        order.forEach(c -> started.addLast(c == old ? fresh : c));
        Await.until(module + " ready after restart", Duration.ofSeconds(180), () -> {
            fresh.assertAlive();
            return Http.isOk(readinessUrl(module));
        }, () -> "\n" + fresh.tail(30));
    }

    private ManagedProcess serviceProcess(String module) {
        return started.stream().filter(c -> c instanceof ManagedProcess p && p.name().equals(module))
                .map(ManagedProcess.class::cast).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No process for " + module));
    }
}
