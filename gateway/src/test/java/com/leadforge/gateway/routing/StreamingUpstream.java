package com.leadforge.gateway.routing;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.leadforge.testsupport.TestTokens;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

/**
 * Every service behind the gateway, as one stub whose {@code /api/v1/stream} is a server-sent-events stream:
 * {@code ?mode=finite} sends an event at once and then one every 700 ms up to six, then ends (noting when);
 * {@code ?mode=hold} sends a comment every 300 ms until the connection closes (counting open ones). Its state is at
 * {@code /stub/state}, over HTTP because the test and this resource need not share a class loader.
 */
public class StreamingUpstream implements QuarkusTestResourceLifecycleManager {

    static final int FINITE_EVENTS = 6;
    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        AtomicInteger open = new AtomicInteger();
        AtomicLong finishedAt = new AtomicLong();
        HttpServer server = vertx.createHttpServer().requestHandler(request -> {
            var response = request.response();
            switch (request.path()) {
                case "/stub/state" -> response.putHeader("Content-Type", "application/json")
                        .end(new JsonObject().put("open", open.get()).put("finished_at", finishedAt.get()).encode());
                case "/api/v1/stream" -> {
                    response.setChunked(true).putHeader("Content-Type", "text/event-stream");
                    if ("hold".equals(request.getParam("mode"))) {
                        open.incrementAndGet();
                        response.write(": open\n\n");
                        long timer = vertx.setPeriodic(300, id -> response.write(": heartbeat\n\n"));
                        response.closeHandler(ignored -> {
                            vertx.cancelTimer(timer);
                            open.decrementAndGet();
                        });
                        return;
                    }
                    finishedAt.set(0);
                    AtomicInteger sent = new AtomicInteger(1);
                    response.write("id: 1\nevent: tick\ndata: {\"n\":1}\n\n");
                    vertx.setPeriodic(700, id -> {
                        int n = sent.incrementAndGet();
                        response.write("id: " + n + "\nevent: tick\ndata: {\"n\":" + n + "}\n\n");
                        if (n == FINITE_EVENTS) {
                            vertx.cancelTimer(id);
                            finishedAt.set(System.currentTimeMillis());
                            response.end();
                        }
                    });
                }
                default -> response.putHeader("Content-Type", "application/json").end("{\"ok\":true}");
            }
        });
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Streaming stub did not start", e);
        }
        String base = "http://127.0.0.1:" + server.actualPort();
        Map<String, String> config = new HashMap<>(TestTokens.verifierConfig());
        for (String service : new String[] { "leads", "campaigns", "scraping", "analytics" }) {
            config.put("leadforge.gateway.services." + service, base);
            config.put("leadforge.gateway.management." + service, base);
        }
        config.put("stub.base-url", base);
        return config;
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
