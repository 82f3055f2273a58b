package com.leadforge.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * {@code ./run-local.sh}: the whole suite on this machine, without Docker. Data lives in {@code .leadforge/} and
 * survives a restart; {@code --reset} wipes it first. Ctrl+C stops every process started here.
 */
public final class LocalStack {

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("leadforge.root", ".")).toAbsolutePath().normalize();
        Path work = root.resolve(".leadforge");
        if (java.util.Arrays.asList(args).contains("--reset")) {
            System.out.println("Resetting local data in " + work);
            deleteRecursively(work);
        }
        Files.createDirectories(work);
        Path keycloakDistribution = Path.of(System.getProperty("leadforge.keycloak.dist",
                root.resolve("test-support/stack/target/keycloak-26.5.6").toString()));
        long startedAt = System.nanoTime();
        System.out.println("Starting PostgreSQL, Kafka, Keycloak and the five services (logs in " + work.resolve("logs")
                + ") ...");
        Stack stack = Stack.start(new Stack.Layout(root, keycloakDistribution, work, true, Stack.StackPorts.local()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping LeadForge ...");
            stack.close();
            stopped.countDown();
        }, "local-stack-stop"));
        System.out.printf("""

                LeadForge is up in %.1f s.

                  Gateway (the API)   %s/api/v1/...
                  Keycloak            %s  (admin console: admin / admin)
                  Services            lead %s, campaign %s, scraping %s, analytics %s
                  Health and metrics  /q/health/ready, /q/metrics (and the services' /q/openapi) on the
                                      management ports: gateway %s, lead %s, campaign %s,
                                      scraping %s, analytics %s
                  Kafka               %s      PostgreSQL 127.0.0.1:15432 (postgres / postgres)

                Test users (password: leadforge): super-acme, admin-acme, researcher-acme, client-acme,
                  super-beacon, admin-beacon, researcher-beacon, client-beacon

                Get a token and create a lead:
                  TOKEN=$(curl -s %s -d grant_type=password -d client_id=leadforge-cli \\
                    -d username=researcher-acme -d password=leadforge | sed 's/.*"access_token":"\\([^"]*\\)".*/\\1/')
                  curl -s -X POST %s/api/v1/leads -H "Authorization: Bearer $TOKEN" \\
                    -H 'Content-Type: application/json' -d '{"first_name":"Ada","email":"ada@example.com"}'
                  curl -s %s/api/v1/analytics/overview -H "Authorization: Bearer $TOKEN"

                Press Ctrl+C to stop everything. Data survives a restart; ./run-local.sh --reset starts empty.
                """, (System.nanoTime() - startedAt) / 1e9, stack.gatewayUrl(), stack.keycloakUrl(),
                stack.serviceUrl("lead-service"), stack.serviceUrl("campaign-service"),
                stack.serviceUrl("scraping-service"), stack.serviceUrl("analytics-service"),
                stack.managementUrl("gateway"), stack.managementUrl("lead-service"),
                stack.managementUrl("campaign-service"), stack.managementUrl("scraping-service"),
                stack.managementUrl("analytics-service"), stack.kafkaBootstrapServers(), stack.tokenEndpoint(), stack.gatewayUrl(), stack.gatewayUrl());
        stopped.await();
    }

    private static void deleteRecursively(Path path) throws java.io.IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private LocalStack() {
    }
}
