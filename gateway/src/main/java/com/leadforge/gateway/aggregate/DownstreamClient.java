package com.leadforge.gateway.aggregate;

import java.net.URI;

import com.leadforge.gateway.routing.GatewayConfig;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.inject.Singleton;

/** The gateway's own small GETs to the services (readiness, OpenAPI documents), each bounded by a timeout. */
@Singleton
public class DownstreamClient {

    /** A few connections per service: these are occasional requests, not the proxied traffic. */
    private static final int MAX_CONNECTIONS_PER_SERVICE = 4;
    private static final int MAX_WAITING_REQUESTS = 64;

    public record Answer(int status, Buffer body) {
    }

    private final HttpClient client;
    private final GatewayConfig config;

    public DownstreamClient(Vertx vertx, GatewayConfig config) {
        this.config = config;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setMaxPoolSize(MAX_CONNECTIONS_PER_SERVICE)
                .setMaxWaitQueueSize(MAX_WAITING_REQUESTS)
                .setKeepAlive(true));
    }

    public Future<Answer> get(URI base, String pathAndQuery) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost(base.getHost())
                .setPort(base.getPort())
                .setURI(pathAndQuery)
                .setIdleTimeout(config.downstreamProbeTimeout().toMillis())
                .putHeader("Accept", "application/json");
        return client.request(options)
                .compose(request -> request.send())
                .compose(response -> response.body().map(body -> new Answer(response.statusCode(), body)));
    }
}
