package com.leadforge.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadforge.shared.events.EventType;
import com.leadforge.shared.events.Topics;

/**
 * Every overlay under k8s/overlays renders with {@code kubectl kustomize}, validates against the Kubernetes and
 * operator schemas of ../shared/k8s-schemas with no failure, and keeps the promises the manifests make: probes and
 * scraping on the management port, least privilege, default-deny networking, every topic, every database.
 */
class KubernetesOverlaysTest {

    static final List<String> SERVICES = List.of("gateway", "lead-service", "campaign-service", "scraping-service",
            "analytics-service");
    static final List<String> DATABASES = List.of("leads", "campaigns", "scraping", "analytics", "keycloak");
    private static final Pattern SUMMARY = Pattern.compile("(?m)^(\\d+) passed, (\\d+) failed$");
    private static final Map<String, List<JsonNode>> RENDERED = new ConcurrentHashMap<>();

    static Stream<String> overlays() throws IOException {
        try (Stream<Path> dirs = Files.list(Repo.path("k8s/overlays"))) {
            List<String> names = dirs.filter(d -> Files.exists(d.resolve("kustomization.yaml")))
                    .map(d -> d.getFileName().toString()).sorted().toList();
            assertTrue(names.containsAll(List.of("dev", "prod")), "overlays dev and prod exist: " + names);
            return names.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void overlayRendersAndValidatesAgainstKubernetesAndOperatorSchemas(String overlay) {
        Path manifest = renderToFile(overlay);
        Repo.requireTool("python3", "schema validation of k8s/overlays/" + overlay);
        Path validate = Repo.K8S_SCHEMAS.resolve("validate");
        assertTrue(Files.isRegularFile(validate), "The schema validator is missing: " + validate
                + " (shared/ must sit beside the repository; set -Dleadforge.k8s-schemas to its k8s-schemas folder)");
        Repo.Result result = Repo.run("python3", validate.toString(), manifest.toString());
        if (result.exitCode() == 2 && result.output().contains("pip install")) {
            Assumptions.abort("python3 lacks jsonschema/PyYAML, schema validation SKIPPED:\n" + result.output());
        }
        Matcher summary = SUMMARY.matcher(result.output());
        assertTrue(summary.find(), "validator printed no summary:\n" + result.output());
        int passed = Integer.parseInt(summary.group(1));
        int failed = Integer.parseInt(summary.group(2));
        System.out.printf("[deploy-checks] k8s/overlays/%s: %d documents valid, %d invalid%n", overlay, passed, failed);
        assertEquals(0, failed, "invalid documents in k8s/overlays/" + overlay + ":\n" + result.output());
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(passed > 50, "suspiciously few documents: " + passed);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyServiceIsProbedAndScrapedOnItsManagementPort(String overlay) {
        List<JsonNode> docs = rendered(overlay);
        for (String service : SERVICES) {
            JsonNode container = container(deployment(docs, service));
            assertTrue(hasPort(container.path("ports"), "management", 9000), service + ": container port management 9000");
            assertEquals("9000", env(docs, container, "QUARKUS_MANAGEMENT_PORT"), service + ": QUARKUS_MANAGEMENT_PORT");
            assertProbe(container, "startupProbe", "/q/health/started", service);
            assertProbe(container, "livenessProbe", "/q/health/live", service);
            assertProbe(container, "readinessProbe", "/q/health/ready", service);

            JsonNode svc = named(docs, "Service", service);
            assertTrue(hasPort(svc.path("spec").path("ports"), "management", 9000), service + ": Service port management");
            JsonNode monitor = named(docs, "ServiceMonitor", service);
            assertEquals(service, monitor.at("/spec/selector/matchLabels/app.kubernetes.io~1name").asText());
            JsonNode endpoint = monitor.at("/spec/endpoints/0");
            assertEquals("management", endpoint.path("port").asText(), service + ": ServiceMonitor port");
            assertEquals("/q/metrics", endpoint.path("path").asText(), service + ": ServiceMonitor path");
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyServiceRunsAsItsOwnServiceAccountWithoutAToken(String overlay) {
        List<JsonNode> docs = rendered(overlay);
        for (String service : SERVICES) {
            JsonNode pod = deployment(docs, service).at("/spec/template/spec");
            assertEquals(service, pod.path("serviceAccountName").asText(), service + ": serviceAccountName");
            assertFalse(pod.path("automountServiceAccountToken").asBoolean(true), service + ": pod automount");
            JsonNode account = named(docs, "ServiceAccount", service);
            assertFalse(account.path("automountServiceAccountToken").asBoolean(true), service + ": SA automount");
            assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean(), service + ": runAsNonRoot");
            assertTrue(container(deployment(docs, service)).at("/securityContext/readOnlyRootFilesystem").asBoolean());
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void gracePeriodCoversPreStopSleepAndQuarkusShutdownTimeout(String overlay) {
        List<JsonNode> docs = rendered(overlay);
        for (String service : SERVICES) {
            JsonNode deployment = deployment(docs, service);
            JsonNode container = container(deployment);
            long preStop = container.at("/lifecycle/preStop/sleep/seconds").asLong(-1);
            assertTrue(preStop > 0, service + ": preStop sleep");
            String timeout = env(docs, container, "QUARKUS_SHUTDOWN_TIMEOUT");
            assertNotNull(timeout, service + ": QUARKUS_SHUTDOWN_TIMEOUT");
            long shutdown = Duration.parse("PT" + timeout.toUpperCase()).toSeconds();
            long grace = deployment.at("/spec/template/spec/terminationGracePeriodSeconds").asLong(30);
            assertTrue(grace >= preStop + shutdown + 5, service + ": terminationGracePeriodSeconds " + grace
                    + " < preStop " + preStop + " + shutdown timeout " + shutdown + " + 5");
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void networkPoliciesDenyEverythingByDefaultAndOpenOnlyTheServicesAPIsToTheGateway(String overlay) {
        List<JsonNode> docs = rendered(overlay);
        JsonNode deny = named(docs, "NetworkPolicy", "default-deny");
        assertTrue(deny.at("/spec/podSelector").isEmpty(), "default-deny selects every pod");
        assertEquals(Set.of("Ingress", "Egress"), texts(deny.at("/spec/policyTypes")));
        assertTrue(deny.at("/spec/ingress").isMissingNode() && deny.at("/spec/egress").isMissingNode());
        JsonNode backend = named(docs, "NetworkPolicy", "backend-ingress");
        assertEquals("gateway",
                backend.at("/spec/ingress/0/from/0/podSelector/matchLabels/app.kubernetes.io~1component").asText());
        assertEquals(1, backend.at("/spec/ingress/0/from").size(), "only the gateway reaches the services' API");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyTopicAndItsDeadLetterTopicIsAKafkaTopicWithThreePartitions(String overlay) {
        List<JsonNode> docs = rendered(overlay);
        Set<String> expected = new TreeSet<>();
        for (EventType type : EventType.values()) {
            expected.add(type.topic());
            expected.add(Topics.deadLetterOf(type.topic()));
        }
        Set<String> topics = new TreeSet<>();
        for (JsonNode topic : ofKind(docs, "KafkaTopic")) {
            topics.add(topic.at("/spec/topicName").asText(topic.at("/metadata/name").asText()));
            assertEquals(3, topic.at("/spec/partitions").asInt(), "partitions of " + topic.at("/metadata/name"));
            assertEquals("leadforge", topic.at("/metadata/labels/strimzi.io~1cluster").asText());
        }
        assertEquals(expected, topics);
        assertTrue(ofKind(docs, "Job").isEmpty(), "topics are KafkaTopic resources, not a Job");
        JsonNode pool = ofKind(docs, "KafkaNodePool").get(0);
        assertEquals(Set.of("controller", "broker"), texts(pool.at("/spec/roles")), "KRaft: no ZooKeeper");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyDatabaseExistsAndTheServicesRoleCannotBypassRowLevelSecurity(String overlay) {
        List<JsonNode> docs = rendered(overlay);
        Set<String> databases = ofKind(docs, "Database").stream().map(d -> d.at("/spec/name").asText())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(DATABASES), databases);
        JsonNode cluster = ofKind(docs, "Cluster").get(0);
        JsonNode role = null;
        for (JsonNode r : cluster.at("/spec/managed/roles")) {
            if (r.path("name").asText().equals("leadforge")) {
                role = r;
            }
        }
        assertNotNull(role, "managed role leadforge");
        assertFalse(role.path("superuser").asBoolean(true), "leadforge must not be a superuser");
        assertFalse(role.path("bypassrls").asBoolean(true), "leadforge must not bypass row-level security");
        assertFalse(cluster.at("/spec/enableSuperuserAccess").asBoolean(true), "no superuser password Secret");
        for (String service : SERVICES.subList(1, SERVICES.size())) {
            assertTrue(env(docs, container(deployment(docs, service)), "QUARKUS_DATASOURCE_JDBC_URL")
                    .startsWith("jdbc:postgresql://leadforge-pg-rw:5432/"), service + ": JDBC URL");
        }
    }

    @Test
    void prodReplicatesTopicsThreeTimesWithTwoInSyncReplicasOverTls() {
        List<JsonNode> docs = rendered("prod");
        for (JsonNode topic : ofKind(docs, "KafkaTopic")) {
            assertEquals(3, topic.at("/spec/replicas").asInt(), topic.at("/metadata/name").asText());
            assertEquals(2, topic.at("/spec/config/min.insync.replicas").asInt(), topic.at("/metadata/name").asText());
        }
        JsonNode kafka = ofKind(docs, "Kafka").get(0);
        assertEquals(2, kafka.at("/spec/kafka/config/min.insync.replicas").asInt());
        for (JsonNode listener : kafka.at("/spec/kafka/listeners")) {
            assertTrue(listener.path("tls").asBoolean(), "prod listeners use TLS: " + listener);
            assertEquals("scram-sha-512", listener.at("/authentication/type").asText());
        }
        for (String service : SERVICES.subList(1, SERVICES.size())) {
            JsonNode container = container(deployment(docs, service));
            assertEquals("SASL_SSL", env(docs, container, "KAFKA_SECURITY_PROTOCOL"), service);
            assertEquals(service + "-kafka",
                    envVar(container, "KAFKA_SASL_JAAS_CONFIG").at("/valueFrom/secretKeyRef/name").asText(), service);
            named(docs, "KafkaUser", service + "-kafka");
        }
    }

    @Test
    void prodRunsEveryServiceTwiceAtLeastSpreadOverNodesWithTlsAndNoCommittedSecretOrDemoUser() {
        List<JsonNode> docs = rendered("prod");
        for (String service : SERVICES) {
            JsonNode deployment = deployment(docs, service);
            int replicas = deployment.at("/spec/replicas").asInt(0);
            JsonNode hpa = find(docs, "HorizontalPodAutoscaler", service);
            int minimum = hpa == null ? replicas : hpa.at("/spec/minReplicas").asInt();
            assertTrue(minimum >= 2, service + ": at least 2 replicas in prod, got " + minimum);
            Set<String> keys = new TreeSet<>();
            deployment.at("/spec/template/spec/topologySpreadConstraints")
                    .forEach(c -> keys.add(c.path("topologyKey").asText()));
            assertTrue(keys.contains("kubernetes.io/hostname") && keys.contains("topology.kubernetes.io/zone"),
                    service + ": spread over nodes and zones: " + keys);
            assertTrue(container(deployment).path("image").asText().matches(".*:(?!latest$)[^:]+"),
                    service + ": pinned image tag");
        }
        assertTrue(ofKind(docs, "Secret").isEmpty(), "prod commits no Secret");
        for (JsonNode ingress : ofKind(docs, "Ingress")) {
            assertFalse(ingress.at("/spec/tls").isMissingNode(), "TLS on Ingress " + ingress.at("/metadata/name"));
        }
        JsonNode gateway = named(docs, "Ingress", "gateway");
        assertEquals("2m", gateway.at("/metadata/annotations/nginx.ingress.kubernetes.io~1proxy-body-size").asText());
        assertEquals("305", named(docs, "Ingress", "gateway-long-running")
                .at("/metadata/annotations/nginx.ingress.kubernetes.io~1proxy-read-timeout").asText());
        for (JsonNode realm : ofKind(docs, "KeycloakRealmImport")) {
            assertTrue(realm.at("/spec/realm/users").isMissingNode(), "no users imported in prod");
            assertFalse(realm.at("/spec/realm/realm").asText().contains("demo"));
            realm.at("/spec/realm/clients").forEach(c -> assertTrue(c.path("secret").isMissingNode(), "no secret"));
        }
    }

    @Test
    void devImportsTheDemoRealmUnderItsOwnNameAndRunsOneReplicaOfEverything() {
        List<JsonNode> docs = rendered("dev");
        List<JsonNode> realms = ofKind(docs, "KeycloakRealmImport");
        assertEquals(1, realms.size());
        String realm = realms.get(0).at("/spec/realm/realm").asText();
        assertEquals("leadforge-demo", realm);
        JsonNode config = ofKind(docs, "ConfigMap").stream()
                .filter(c -> c.at("/metadata/name").asText().startsWith("leadforge-config-")).findFirst().orElseThrow();
        assertTrue(config.at("/data/QUARKUS_OIDC_AUTH_SERVER_URL").asText().endsWith("/realms/" + realm));
        for (String service : SERVICES) {
            assertEquals(1, deployment(docs, service).at("/spec/replicas").asInt(), service);
        }
        assertTrue(ofKind(docs, "HorizontalPodAutoscaler").isEmpty());
        for (JsonNode secret : ofKind(docs, "Secret")) {
            assertEquals("true", secret.at("/metadata/labels/leadforge.io~1demo-only").asText(),
                    "committed Secrets are labelled demo-only: " + secret.at("/metadata/name"));
        }
    }

    // ------------------------------------------------------------------ helpers

    static List<JsonNode> rendered(String overlay) {
        return RENDERED.computeIfAbsent(overlay, o -> {
            try {
                return Repo.documents(Files.readString(renderToFile(o), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static Path renderToFile(String overlay) {
        Repo.requireTool("kubectl", "rendering k8s/overlays/" + overlay);
        Repo.Result version = Repo.run("kubectl", "version", "--client", "-o", "json");
        Matcher minor = Pattern.compile("\"minor\":\\s*\"(\\d+)").matcher(version.output());
        if (minor.find() && Integer.parseInt(minor.group(1)) < 24) {
            Assumptions.abort("kubectl 1." + minor.group(1) + " embeds a kustomize too old for these overlays"
                    + " (needs kubectl >= 1.24): rendering SKIPPED");
        }
        Repo.Result result = Repo.run("kubectl", "kustomize", "k8s/overlays/" + overlay);
        Repo.assertSucceeded(result, "kubectl kustomize k8s/overlays/" + overlay);
        try {
            Files.createDirectories(Repo.WORK);
            Path file = Repo.WORK.resolve(overlay + ".yaml");
            Files.writeString(file, result.output(), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<JsonNode> ofKind(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    static JsonNode find(List<JsonNode> docs, String kind, String name) {
        return ofKind(docs, kind).stream().filter(d -> name.equals(d.at("/metadata/name").asText())).findFirst()
                .orElse(null);
    }

    static JsonNode named(List<JsonNode> docs, String kind, String name) {
        JsonNode doc = find(docs, kind, name);
        assertNotNull(doc, kind + "/" + name + " is rendered");
        return doc;
    }

    static JsonNode deployment(List<JsonNode> docs, String name) {
        return named(docs, "Deployment", name);
    }

    static JsonNode container(JsonNode deployment) {
        for (JsonNode c : deployment.at("/spec/template/spec/containers")) {
            if ("app".equals(c.path("name").asText())) {
                return c;
            }
        }
        throw new AssertionError("no container 'app' in " + deployment.at("/metadata/name"));
    }

    static JsonNode envVar(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) {
            if (name.equals(e.path("name").asText())) {
                return e;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /** The value a container sees: its own env first, then the ConfigMaps of its envFrom. */
    static String env(List<JsonNode> docs, JsonNode container, String name) {
        JsonNode own = envVar(container, name);
        if (!own.isMissingNode() && own.has("value")) {
            return own.path("value").asText();
        }
        for (JsonNode from : container.path("envFrom")) {
            JsonNode map = find(docs, "ConfigMap", from.at("/configMapRef/name").asText());
            if (map != null && map.at("/data").has(name)) {
                return map.at("/data").path(name).asText();
            }
        }
        return null;
    }

    private static boolean hasPort(JsonNode ports, String name, int number) {
        for (JsonNode p : ports) {
            if (name.equals(p.path("name").asText())
                    && (p.path("containerPort").asInt() == number || p.path("port").asInt() == number)) {
                return true;
            }
        }
        return false;
    }

    private static void assertProbe(JsonNode container, String probe, String path, String service) {
        assertEquals(path, container.at("/" + probe + "/httpGet/path").asText(), service + ": " + probe + " path");
        assertEquals("management", container.at("/" + probe + "/httpGet/port").asText(), service + ": " + probe + " port");
    }

    private static Set<String> texts(JsonNode array) {
        Set<String> values = new TreeSet<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
