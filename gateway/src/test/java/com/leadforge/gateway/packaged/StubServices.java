package com.leadforge.gateway.packaged;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * One loopback server standing in for the four services behind the packaged gateway, named by the environment
 * variables production requires ({@code LEADFORGE_GATEWAY_SERVICES_*}, {@code LEADFORGE_GATEWAY_MANAGEMENT_*}). It
 * answers every API request with an empty list page and says it is ready; the real services are exercised by the
 * end-to-end test.
 */
public class StubServices implements QuarkusTestResourceLifecycleManager {

    static final String EMPTY_PAGE = "{\"data\":[],\"meta\":{\"total\":0,\"totalIsExact\":true,\"page\":1,"
            + "\"pageSize\":20,\"hasMore\":false}}";

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            byte[] body = (exchange.getRequestURI().getPath().startsWith("/q/health")
                    ? "{\"status\":\"UP\",\"checks\":[]}" : EMPTY_PAGE).getBytes(StandardCharsets.UTF_8);
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        Map<String, String> config = new HashMap<>();
        for (String service : List.of("leads", "campaigns", "scraping", "analytics")) {
            String variable = service.toUpperCase(java.util.Locale.ROOT);
            config.put("LEADFORGE_GATEWAY_SERVICES_" + variable, url);
            config.put("LEADFORGE_GATEWAY_MANAGEMENT_" + variable, url);
            // The module's UpstreamStub applies to every test of the module, integration tests included, and sets
            // the properties themselves; these must win over it (see order()).
            config.put("leadforge.gateway.services." + service, url);
            config.put("leadforge.gateway.management." + service, url);
        }
        return config;
    }

    /** After the module's other resources, whose settings would otherwise route elsewhere. */
    @Override
    public int order() {
        return 1000;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
