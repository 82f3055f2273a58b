package com.leadforge.gateway.routing;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.leadforge.testsupport.Ports;
import com.leadforge.testsupport.TestTokens;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

/**
 * A stand-in for the services behind the gateway: answers with what it received (method, path, headers, body size)
 * and streams {@code /api/v1/leads/export} in chunks; never answers paths ending in {@code /slow}. The analytics route
 * points at a closed port, to see how the gateway answers for a service that is down; the scraping route points at a
 * port of its own on which tests start and stop a {@link SwitchableService}. The real services are exercised by the
 * end-to-end test.
 */
public class UpstreamStub implements QuarkusTestResourceLifecycleManager {

    public static final int STREAMED_CHUNKS = 50;
    /** What the lead and campaign services (both this stub) publish at /q/openapi. */
    static final String OPENAPI_DOCUMENT = new JsonObject()
            .put("openapi", "3.1.0")
            .put("info", new JsonObject().put("title", "lead-service").put("version", "1"))
            .put("paths", new JsonObject()
                    .put("/api/v1/leads", new JsonObject().put("get", new JsonObject().put("tags",
                            new io.vertx.core.json.JsonArray().add("Leads"))))
                    .put("/q/health", new JsonObject().put("get", new JsonObject())))
            .put("components", new JsonObject().put("schemas", new JsonObject()
                    .put("Lead", new JsonObject().put("type", "object"))
                    .put("Problem", new JsonObject().put("type", "object"))))
            .put("tags", new io.vertx.core.json.JsonArray().add(new JsonObject().put("name", "Leads")))
            .encode();
    private Vertx vertx;
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(request -> {
            if (request.path().equals("/api/v1/leads/export")) {
                var response = request.response().setChunked(true).putHeader("Content-Type", "text/csv");
                for (int i = 0; i < STREAMED_CHUNKS; i++) {
                    response.write("row-" + i + "\n");
                }
                response.end();
                return;
            }
            if (request.path().endsWith("/slow")) {
                return;
            }
            if (request.path().equals("/q/health/ready")) {
                request.response().putHeader("Content-Type", "application/json").end("{\"status\":\"UP\",\"checks\":[]}");
                return;
            }
            if (request.path().equals("/q/openapi")) {
                request.response().putHeader("Content-Type", "application/json").end(OPENAPI_DOCUMENT);
                return;
            }
            if (request.path().endsWith("/refuses-body")) {
                // Like a service's BodyTooLarge: answers 413 at once, reads and drops the body, then closes.
                request.handler(ignored -> {
                }).endHandler(ignored -> request.connection().close());
                request.response().setStatusCode(413).putHeader("Content-Type", "application/problem+json")
                        .putHeader("Connection", "close")
                        .end("{\"type\":\"https://leadforge.io/problems/payload-too-large\",\"status\":413}");
                return;
            }
            request.body().onSuccess(body -> {
                JsonObject headers = new JsonObject();
                request.headers().forEach((name, value) -> headers.put(name.toLowerCase(), value));
                request.response().setStatusCode(request.path().endsWith("/missing") ? 404 : 200)
                        .putHeader("Content-Type", "application/json")
                        .putHeader("Connection", "keep-alive")
                        .putHeader("X-Leadforge-Internal", "secret")
                        .end(new JsonObject().put("method", request.method().name()).put("uri", request.uri())
                                .put("headers", headers).put("bodyLength", body.length()).encode());
            });
        });
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Upstream stub did not start", e);
        }
        String base = "http://127.0.0.1:" + server.actualPort();
        Map<String, String> config = new HashMap<>(TestTokens.verifierConfig());
        String scraping = "http://127.0.0.1:" + Ports.free();
        String analytics = "http://127.0.0.1:" + Ports.free();
        config.put("leadforge.gateway.services.leads", base);
        config.put("leadforge.gateway.services.campaigns", base);
        config.put("leadforge.gateway.services.scraping", scraping);
        config.put("leadforge.gateway.services.analytics", analytics);
        // The stub answers /q/health/ready and /q/openapi itself: it is its own management port.
        config.put("leadforge.gateway.management.leads", base);
        config.put("leadforge.gateway.management.campaigns", base);
        config.put("leadforge.gateway.management.scraping", scraping);
        config.put("leadforge.gateway.management.analytics", analytics);
        // scraping-service is down in these tests: the upload rule is also given a path the stub serves.
        config.put("leadforge.gateway.upload-paths", "/api/v1/(jobs|leads)/[^/]+/file");
        return config;
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
