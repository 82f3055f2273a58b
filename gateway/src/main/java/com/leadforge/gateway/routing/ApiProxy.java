package com.leadforge.gateway.routing;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import com.leadforge.shared.problem.ProblemType;
import com.leadforge.shared.tenancy.Roles;

import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Forwards {@code /api/v1/**} to the owning service after authenticating the token and applying
 * {@link AccessPolicy}. Bodies are streamed both ways (never buffered), so exports and server-sent events flow
 * through with constant memory.
 */
@ApplicationScoped
public class ApiProxy {

    private static final Logger LOG = Logger.getLogger(ApiProxy.class);

    private final RouteTable routes;
    private final AccessPolicy policy;
    private final ProblemResponses problems;
    private final GatewayConfig config;
    private final HttpClient client;

    public ApiProxy(RouteTable routes, AccessPolicy policy, ProblemResponses problems, GatewayConfig config,
            Vertx vertx) {
        this.routes = routes;
        this.policy = policy;
        this.problems = problems;
        this.config = config;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setMaxPoolSize(config.maxConnectionsPerService())
                .setKeepAlive(true)
                .setDecompressionSupported(false));
    }

    void register(@Observes Router router) {
        router.route("/api/v1/*").handler(this::handle);
    }

    void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        request.pause();
        String requestId = GatewayHeaders.requestId(request.getHeader(GatewayHeaders.REQUEST_ID));
        var route = routes.resolve(request.path());
        if (route.isEmpty()) {
            problems.send(ctx, ProblemType.NOT_FOUND, "No API resource at this path", requestId);
            return;
        }
        QuarkusHttpUser.getSecurityIdentity(ctx, null).subscribe().with(
                identity -> policy.check(identity, request.method(), request.getHeader(Roles.ACTING_AGENCY_HEADER))
                        .ifPresentOrElse(
                                refusal -> problems.send(ctx, refusal.type(), refusal.detail(), requestId),
                                () -> forwardSafely(ctx, route.get(), requestId)),
                failure -> problems.send(ctx, ProblemType.UNAUTHORIZED, "A valid bearer token is required",
                        requestId));
    }

    private void forwardSafely(RoutingContext ctx, RouteTable.Route route, String requestId) {
        try {
            forward(ctx, route, requestId);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Could not forward request %s", requestId);
            problems.send(ctx, ProblemType.INTERNAL, "The gateway could not forward the request", requestId);
        }
    }

    private void forward(RoutingContext ctx, RouteTable.Route route, String requestId) {
        HttpServerRequest inbound = ctx.request();
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        GatewayHeaders.copyRequestHeaders(inbound.headers(), headers);
        headers.set(GatewayHeaders.REQUEST_ID, requestId)
                .set(GatewayHeaders.TRACEPARENT, GatewayHeaders.traceparent(inbound.getHeader(GatewayHeaders.TRACEPARENT)))
                .set("X-Forwarded-For", inbound.remoteAddress() == null ? "" : inbound.remoteAddress().hostAddress())
                .set("X-Forwarded-Proto", inbound.scheme())
                .set("X-Forwarded-Host", String.valueOf(inbound.authority()));
        RequestOptions options = new RequestOptions()
                .setMethod(inbound.method())
                .setHost(route.baseUri().getHost())
                .setPort(route.baseUri().getPort())
                .setURI(inbound.uri())
                .setIdleTimeout(config.idleTimeout().toMillis())
                .setHeaders(headers);

        client.request(options)
                .compose(upstream -> upstream.send(inbound))
                .onSuccess(upstreamResponse -> relay(ctx, upstreamResponse, requestId))
                .onFailure(failure -> upstreamFailed(ctx, route, failure, requestId));
    }

    private void relay(RoutingContext ctx, HttpClientResponse upstreamResponse, String requestId) {
        var response = ctx.response().setStatusCode(upstreamResponse.statusCode());
        GatewayHeaders.copyResponseHeaders(upstreamResponse.headers(), response.headers());
        response.putHeader(GatewayHeaders.REQUEST_ID, requestId);
        if (upstreamResponse.getHeader("Content-Length") == null) {
            response.setChunked(true);
        }
        response.send(upstreamResponse).onFailure(failure -> LOG.debugf("Relay of %s interrupted: %s", requestId,
                failure.getMessage()));
    }

    private void upstreamFailed(RoutingContext ctx, RouteTable.Route route, Throwable failure, String requestId) {
        ProblemType type;
        if (failure instanceof ConnectException || failure.getCause() instanceof ConnectException) {
            type = ProblemType.SERVICE_UNAVAILABLE;
        } else if (failure instanceof TimeoutException || failure.getClass().getSimpleName().contains("Timeout")) {
            type = ProblemType.GATEWAY_TIMEOUT;
        } else {
            type = ProblemType.BAD_GATEWAY;
        }
        LOG.warnf("Upstream %s failed for request %s: %s", route.service(), requestId, failure.toString());
        problems.send(ctx, type, "The " + route.service() + " did not answer; try again later", requestId);
    }
}
