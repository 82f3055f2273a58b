package com.leadforge.gateway.routing;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

/**
 * A service a test starts and stops on one fixed port, to see what the gateway does while it is down and after it is
 * back. Counts the requests it received.
 */
final class SwitchableService implements AutoCloseable {

    /** What it publishes at /q/openapi: the scraping-service's resources. */
    static final String OPENAPI_DOCUMENT = new JsonObject()
            .put("openapi", "3.1.0")
            .put("info", new JsonObject().put("title", "scraping-service").put("version", "1"))
            .put("paths", new JsonObject().put("/api/v1/jobs", new JsonObject().put("get", new JsonObject())))
            .put("components", new JsonObject().put("schemas", new JsonObject()
                    .put("Job", new JsonObject().put("type", "object"))
                    .put("Problem", new JsonObject().put("type", "object"))))
            .put("tags", new io.vertx.core.json.JsonArray().add(new JsonObject().put("name", "Jobs")))
            .encode();

    private final Vertx vertx = Vertx.vertx();
    private final int port;
    private final AtomicInteger requests = new AtomicInteger();
    /** Requests whose body never finished arriving: the sender cut the exchange. */
    private final AtomicInteger abandoned = new AtomicInteger();
    /** Answers every API request 503 + Retry-After, as a service shedding load (bulkhead, statement budget) does. */
    private volatile boolean overloaded;
    /** Answers only once the whole request body has arrived, as a service reading a JSON body does. */
    private volatile boolean readsBodyFirst;
    private HttpServer server;

    SwitchableService(int port) {
        this.port = port;
    }

    synchronized SwitchableService start() {
        server = vertx.createHttpServer().requestHandler(request -> {
            requests.incrementAndGet();
            if (request.path().equals("/q/openapi")) {
                request.response().putHeader("Content-Type", "application/json").end(OPENAPI_DOCUMENT);
                return;
            }
            if (readsBodyFirst && !request.isEnded()) {
                request.body().onSuccess(body -> request.response().putHeader("Content-Type", "application/json")
                        .end(new JsonObject().put("uri", request.uri()).put("bytes", body.length()).encode()))
                        .onFailure(cut -> abandoned.incrementAndGet());
                return;
            }
            if (overloaded) {
                request.response().setStatusCode(503).putHeader("Content-Type", "application/problem+json")
                        .putHeader("Retry-After", "1")
                        .end(new JsonObject().put("type", "https://leadforge.io/problems/service-unavailable")
                                .put("status", 503).put("detail", "Too many searches are running right now")
                                .encode());
                return;
            }
            request.response().putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("uri", request.uri()).encode());
        });
        await(server.listen(port, "127.0.0.1").mapEmpty());
        return this;
    }

    synchronized void stop() {
        if (server != null) {
            await(server.close());
            server = null;
        }
    }

    SwitchableService overloaded(boolean overloaded) {
        this.overloaded = overloaded;
        return this;
    }

    SwitchableService readsBodyFirst(boolean readsBodyFirst) {
        this.readsBodyFirst = readsBodyFirst;
        return this;
    }

    int abandoned() {
        return abandoned.get();
    }

    int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        stop();
        await(vertx.close());
    }

    private static void await(io.vertx.core.Future<Void> future) {
        try {
            future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Switchable service did not switch", e);
        }
    }
}
