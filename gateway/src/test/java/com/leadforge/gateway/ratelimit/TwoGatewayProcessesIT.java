package com.leadforge.gateway.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.leadforge.testsupport.Await;
import com.leadforge.testsupport.PackagedApplication;
import com.leadforge.testsupport.Ports;
import com.leadforge.testsupport.RedisServer;
import com.leadforge.testsupport.TestTokens;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/**
 * Two gateway processes (the packaged application, JVM or native, started twice) share one real redis-server:
 * requests spread over both count against one budget, so the (N+1)th is refused whichever gateway it reaches.
 */
class TwoGatewayProcessesIT {

    static final int READS_PER_USER = 4;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void twoGatewayProcessesSharingOneRedisEnforceOneLimit() throws Exception {
        PackagedApplication application = PackagedApplication.ofThisModule();
        Vertx vertx = Vertx.vertx();
        try (RedisServer redis = RedisServer.startEphemeral()) {
            HttpServer service = vertx.createHttpServer()
                    .requestHandler(request -> request.response().putHeader("Content-Type", "application/json")
                            .end("{}"))
                    .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            String serviceUrl = "http://127.0.0.1:" + service.actualPort();
            try (GatewayProcess first = GatewayProcess.start(application, "first", redis.url(), serviceUrl);
                    GatewayProcess second = GatewayProcess.start(application, "second", redis.url(), serviceUrl)) {
                String token = TestTokens.user("two-gateways-" + UUID.randomUUID())
                        .agency(UUID.randomUUID().toString()).roles("researcher").sign();
                List<GatewayProcess> alternating = List.of(first, second, first, second);
                for (int i = 0; i < READS_PER_USER; i++) {
                    HttpResponse<String> response = alternating.get(i).get("/api/v1/leads", token);
                    assertEquals(200, response.statusCode(), response.body());
                    assertEquals(String.valueOf(READS_PER_USER - 1 - i),
                            response.headers().firstValue("RateLimit-Remaining").orElse(null));
                }
                for (GatewayProcess gateway : List.of(first, second)) {
                    HttpResponse<String> refused = gateway.get("/api/v1/leads", token);
                    assertEquals(429, refused.statusCode(), gateway.name + ": " + refused.body());
                    assertEquals("application/problem+json",
                            refused.headers().firstValue("Content-Type").orElse(null));
                    assertTrue(refused.headers().firstValue("Retry-After").isPresent());
                }
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    static final class GatewayProcess implements AutoCloseable {
        final String name;
        final int port;
        final int managementPort;
        final Process process;

        private GatewayProcess(String name, int port, int managementPort, Process process) {
            this.name = name;
            this.port = port;
            this.managementPort = managementPort;
            this.process = process;
        }

        static GatewayProcess start(PackagedApplication application, String name, String redisUrl, String serviceUrl)
                throws IOException {
            int port = Ports.free();
            int managementPort = Ports.free();
            Map<String, String> properties = new java.util.LinkedHashMap<>(TestTokens.verifierConfig());
            properties.put("quarkus.profile", "test");
            properties.put("quarkus.http.port", String.valueOf(port));
            properties.put("quarkus.http.host", "127.0.0.1");
            properties.put("quarkus.management.port", String.valueOf(managementPort));
            properties.put("quarkus.management.host", "127.0.0.1");
            properties.put("leadforge.gateway.rate-limit.redis-url", redisUrl);
            properties.put("leadforge.gateway.rate-limit.classes.default.per-user", String.valueOf(READS_PER_USER));
            properties.put("leadforge.gateway.rate-limit.classes.default.period", "1H");
            for (String service : List.of("leads", "campaigns", "scraping", "analytics")) {
                properties.put("leadforge.gateway.services." + service, serviceUrl);
                properties.put("leadforge.gateway.management." + service, serviceUrl);
            }
            List<String> systemProperties = new ArrayList<>();
            properties.forEach((key, value) -> systemProperties.add("-D" + key + "=" + value));
            List<String> command = application.command(List.of("-Xmx256m"), systemProperties);
            Path log = Path.of("target", "it-gateway-" + name + ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .start();
            GatewayProcess gateway = new GatewayProcess(name, port, managementPort, process);
            try {
                Await.until("gateway " + name + " to be live", Duration.ofSeconds(90), () -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("gateway " + name + " exited; see " + log);
                    }
                    return gateway.isLive();
                }, () -> "(log: " + log.toAbsolutePath() + ")");
            } catch (RuntimeException e) {
                gateway.close();
                throw e;
            }
            return gateway;
        }

        boolean isLive() {
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/q/health/live"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
