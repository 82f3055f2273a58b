package com.leadforge.gateway.routing;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.leadforge.gateway.edge.BodySizeLimit;
import com.leadforge.gateway.edge.ClientAddress;
import com.leadforge.gateway.ratelimit.RateLimitGate;
import com.leadforge.gateway.ratelimit.RouteClass;
import com.leadforge.shared.problem.ProblemType;
import com.leadforge.shared.tenancy.Roles;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
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
 * Forwards {@code /api/v1/**} to the owning service: resolve the one path the request is judged by
 * ({@link RequestPath}), authenticate the token, count the request against its rate limits ({@link RateLimitGate}),
 * route ({@link RouteTable}), apply {@link AccessPolicy}, then exchange through the
 * service's circuit breaker ({@link UpstreamGuards}) with per-route-class timeouts. Bodies are streamed both ways
 * (never buffered), so exports and server-sent events flow through with constant memory; bodies without a
 * Content-Length are counted against the body-size limit on the way. Every refusal is problem+json.
 */
@ApplicationScoped
public class ApiProxy {

    private static final Logger LOG = Logger.getLogger(ApiProxy.class);

    private final RouteTable routes;
    private final AccessPolicy policy;
    private final ProblemResponses problems;
    private final GatewayConfig config;
    private final HttpClient client;
    private final RateLimitGate rateLimits;
    private final UpstreamGuards guards;
    private final Vertx vertx;
    private final BodySizeLimit bodySizeLimit;
    private final ClientAddress clientAddress;
    private final boolean tracingDisabled;
    private final StreamSlots streamSlots;
    /** Live streams hold their connection for as long as they are open: a pool of their own, no wait queue. */
    private final HttpClient streamClient;

    public ApiProxy(RouteTable routes, AccessPolicy policy, ProblemResponses problems, GatewayConfig config,
            Vertx vertx, RateLimitGate rateLimits, UpstreamGuards guards, BodySizeLimit bodySizeLimit,
            ClientAddress clientAddress, StreamSlots streamSlots,
            @ConfigProperty(name = "quarkus.otel.sdk.disabled") boolean tracingDisabled) {
        this.clientAddress = clientAddress;
        this.streamSlots = streamSlots;
        this.tracingDisabled = tracingDisabled;
        this.routes = routes;
        this.policy = policy;
        this.problems = problems;
        this.config = config;
        this.vertx = vertx;
        this.rateLimits = rateLimits;
        this.guards = guards;
        this.bodySizeLimit = bodySizeLimit;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setMaxPoolSize(config.maxConnectionsPerService())
                .setMaxWaitQueueSize(config.maxWaitingRequestsPerService())
                .setKeepAlive(true)
                .setDecompressionSupported(false));
        this.streamClient = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setMaxPoolSize(config.stream().maxConnections())
                .setMaxWaitQueueSize(0)
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
        Context context = ctx.vertx().getOrCreateContext();
        RequestPath path;
        RouteClass routeClass;
        String refusal = null;
        try {
            path = RequestPath.of(request.path());
            routeClass = RouteClass.of(request.method(), path.decoded());
        } catch (RequestPath.Refused e) {
            path = null;
            routeClass = RouteClass.of(request.method(), "/");
            refusal = e.getMessage();
        }
        RequestPath routed = path;
        RouteClass counted = routeClass;
        String refused = refusal;
        QuarkusHttpUser.getSecurityIdentity(ctx, null).subscribe().with(
                identity -> rateLimits.admit(ctx, context, identity, requestId, counted, () -> {
                    if (refused != null) {
                        problems.send(ctx, ProblemType.MALFORMED_REQUEST, refused, requestId);
                    } else {
                        routeAuthenticated(ctx, context, identity, routed, counted, requestId);
                    }
                }),
                failure -> rateLimits.admit(ctx, context, null, requestId, counted,
                        () -> problems.send(ctx, ProblemType.UNAUTHORIZED, "A valid bearer token is required",
                                requestId)));
    }

    private void routeAuthenticated(RoutingContext ctx, Context context, SecurityIdentity identity,
            RequestPath path, RouteClass routeClass, String requestId) {
        HttpServerRequest request = ctx.request();
        var route = routes.resolve(path.decoded());
        if (route.isEmpty()) {
            problems.send(ctx, ProblemType.NOT_FOUND, "No API resource at this path", requestId);
            return;
        }
        policy.check(identity, request.method(), request.getHeader(Roles.ACTING_AGENCY_HEADER))
                .ifPresentOrElse(
                        refusal -> problems.send(ctx, refusal.type(), refusal.detail(), requestId),
                        () -> {
                            if (routeClass == RouteClass.STREAM && !holdStreamSlot(ctx, identity, requestId)) {
                                return;
                            }
                            forwardSafely(ctx, context, route.get(), path, routeClass, requestId);
                        });
    }

    /**
     * Takes a slot for a live stream (429 problem when the user or agency holds its maximum); it is given back when
     * the response ends or the connection closes, whichever comes first.
     */
    private boolean holdStreamSlot(RoutingContext ctx, SecurityIdentity identity, String requestId) {
        var subject = rateLimits.subjectOf(identity, ctx.request());
        StreamSlots.Result result = streamSlots.acquire(subject.user(), subject.agency());
        if (result.slot().isEmpty()) {
            problems.send(ctx, ProblemType.RATE_LIMITED, result.refusal(), requestId);
            return false;
        }
        StreamSlots.Slot slot = result.slot().get();
        // Runs when the response ends and when the connection closes first (Vert.x Web hooks both).
        ctx.addEndHandler(ignored -> slot.release());
        return true;
    }

    private void forwardSafely(RoutingContext ctx, Context context, RouteTable.Route route, RequestPath path,
            RouteClass routeClass, String requestId) {
        try {
            forward(ctx, context, route, path, routeClass, requestId);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Could not forward request %s", requestId);
            problems.send(ctx, ProblemType.INTERNAL, "The gateway could not forward the request", requestId);
        }
    }

    private void forward(RoutingContext ctx, Context context, RouteTable.Route route, RequestPath path,
            RouteClass routeClass, String requestId) {
        HttpServerRequest inbound = ctx.request();
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        GatewayHeaders.copyRequestHeaders(inbound.headers(), headers);
        ClientAddress.Resolved client = clientAddress.resolve(inbound);
        if (tracingDisabled) {
            // Nobody records spans, but the services' logs can still be correlated by one trace id per request.
            headers.set(GatewayHeaders.TRACEPARENT,
                    GatewayHeaders.traceparent(inbound.getHeader(GatewayHeaders.TRACEPARENT)));
        }
        // With tracing on, the HTTP client's instrumentation writes traceparent/tracestate: the context of its client
        // span, a child of this request's server span (which continued the caller's context, if it sent one).
        headers.set(GatewayHeaders.REQUEST_ID, requestId)
                // client first, then the trusted proxies, then our peer: services take the first entry.
                .set("X-Forwarded-For", client.forwardedFor())
                .set("X-Forwarded-Proto", forwardedValue(inbound, client, "X-Forwarded-Proto", inbound.scheme()))
                .set("X-Forwarded-Host", forwardedValue(inbound, client, "X-Forwarded-Host",
                        String.valueOf(inbound.authority())));
        boolean longRunning = routeClass == RouteClass.BULK || routeClass == RouteClass.EXPORT;
        boolean stream = routeClass == RouteClass.STREAM;
        Duration responseTimeout = stream ? config.stream().responseTimeout()
                : longRunning ? config.longRunning().responseTimeout() : config.responseTimeout();
        Duration idleTimeout = stream ? config.stream().idleTimeout()
                : longRunning ? config.longRunning().idleTimeout() : config.idleTimeout();
        RequestOptions options = new RequestOptions()
                .setMethod(inbound.method())
                .setHost(route.baseUri().getHost())
                .setPort(route.baseUri().getPort())
                // The service gets the path the gateway routed and classed, not the client's spelling of it.
                .setURI(inbound.query() == null ? path.encoded() : path.encoded() + "?" + inbound.query())
                .setIdleTimeout(idleTimeout.toMillis())
                .setHeaders(headers);

        HttpClient via = stream ? streamClient : this.client;
        guards.call(route.service(), inbound.method(), () -> onContext(context, () -> exchange(via, ctx, options,
                responseTimeout)))
                .whenComplete((upstreamResponse, failure) -> context.runOnContext(ignored -> {
                    if (failure == null) {
                        if (stream) {
                            relayStream(ctx, upstreamResponse, requestId);
                            return;
                        }
                        relay(ctx, upstreamResponse, requestId);
                    } else {
                        upstreamFailed(ctx, route, failure, requestId);
                    }
                }));
    }

    /**
     * Connects, sends the streamed request and waits (at most {@code responseTimeout}) for the response head; the
     * response body stays paused until {@link #relay} pipes it.
     */
    private Future<HttpClientResponse> exchange(HttpClient via, RoutingContext routingContext,
            RequestOptions options, Duration responseTimeout) {
        HttpServerRequest inbound = routingContext.request();
        return via.request(options).<HttpClientResponse>compose(upstream -> {
            AtomicBoolean timedOut = new AtomicBoolean();
            AtomicBoolean tooLarge = new AtomicBoolean();
            long timer = vertx.setTimer(responseTimeout.toMillis(), id -> {
                timedOut.set(true);
                upstream.reset();
            });
            long limit = bodySizeLimit.maxBodyBytes(inbound.path());
            ReadStream<Buffer> body = inbound.getHeader("Content-Length") != null ? inbound
                    : new LimitedBody(inbound, limit, () -> {
                        tooLarge.set(true);
                        upstream.reset();
                        BodySizeLimit.dropBodyThenClose(routingContext);
                    });
            return upstream.send(body).transform(result -> {
                vertx.cancelTimer(timer);
                if (tooLarge.get()) {
                    return Future.failedFuture(new LimitedBody.TooLargeException(limit));
                }
                if (result.succeeded()) {
                    // Hold the body until the relay pipes it: the relay runs in a later event-loop turn.
                    result.result().pause();
                    return Future.succeededFuture(result.result());
                }
                return Future.failedFuture(timedOut.get()
                        ? new TimeoutException("No response within " + responseTimeout)
                        : result.cause());
            });
        }).recover(failure -> Future.failedFuture(routingContext.response().closed()
                // The client hung up (a load generator stopping, a user leaving the page): the exchange was cut on
                // our side, which says nothing about the service. The breaker must not count it.
                ? new ClientGoneException(failure)
                : failure));
    }

    /** The client closed its connection before the service's answer could be relayed. */
    static final class ClientGoneException extends RuntimeException {
        ClientGoneException(Throwable cause) {
            super("The client closed the connection", cause, false, false);
        }
    }

    /** A trusted proxy's X-Forwarded-Proto/Host (its first value) is kept; anyone else's is replaced by ours. */
    private static String forwardedValue(HttpServerRequest inbound, ClientAddress.Resolved client, String header,
            String own) {
        String value = inbound.getHeader(header);
        return client.fromTrustedProxy() && value != null && !value.isBlank() ? value.split(",")[0].trim() : own;
    }

    /** Runs a Vert.x operation on the request's context even when a retry is scheduled from another thread. */
    private static <T> CompletionStage<T> onContext(Context context, Supplier<Future<T>> operation) {
        if (Vertx.currentContext() == context) {
            return operation.get().toCompletionStage();
        }
        Promise<T> promise = Promise.promise();
        context.runOnContext(ignored -> operation.get().onComplete(promise));
        return promise.future().toCompletionStage();
    }

    private void relay(RoutingContext ctx, HttpClientResponse upstreamResponse, String requestId) {
        var response = ctx.response().setStatusCode(upstreamResponse.statusCode());
        GatewayHeaders.copyResponseHeaders(upstreamResponse.headers(), response.headers());
        response.putHeader(GatewayHeaders.REQUEST_ID, requestId);
        if (!ctx.request().isEnded()) {
            // The service answered before the whole body was forwarded (e.g. its 413): the rest of the body is never
            // read, so this connection cannot carry another request. Say so, or the client reuses it and its next
            // request meets a closed socket.
            response.putHeader("Connection", "close");
        }
        if (upstreamResponse.getHeader("Content-Length") == null) {
            response.setChunked(true);
        }
        response.send(upstreamResponse).onFailure(failure -> LOG.debugf("Relay of %s interrupted: %s", requestId,
                failure.getMessage()));
    }

    /**
     * Relays a live stream: chunk by chunk as each arrives (Vert.x writes and flushes every buffer; nothing is
     * aggregated), marked for proxies in front not to buffer either, and the service's stream is closed as soon as the
     * client goes so that neither side holds a connection for a reader who left.
     */
    private void relayStream(RoutingContext ctx, HttpClientResponse upstreamResponse, String requestId) {
        var response = ctx.response().setStatusCode(upstreamResponse.statusCode());
        GatewayHeaders.copyResponseHeaders(upstreamResponse.headers(), response.headers());
        response.putHeader(GatewayHeaders.REQUEST_ID, requestId);
        response.putHeader("X-Accel-Buffering", "no");
        if (upstreamResponse.getHeader("Content-Length") == null) {
            response.setChunked(true);
        }
        Runnable closeUpstream = () -> upstreamResponse.request().reset();
        ctx.addEndHandler(ignored -> closeUpstream.run());
        response.send(upstreamResponse).onFailure(failure -> {
            LOG.debugf("Stream %s ended: %s", requestId, failure.getMessage());
            closeUpstream.run();
        });
    }

    private void upstreamFailed(RoutingContext ctx, RouteTable.Route route, Throwable failure, String requestId) {
        Throwable cause = UpstreamGuards.unwrap(failure);
        if (cause instanceof ClientGoneException || ctx.response().closed()) {
            LOG.debugf("Client of request %s left before %s answered", requestId, route.service());
            return;
        }
        if (UpstreamGuards.isBreakerOpen(cause)) {
            long retryAfter = Math.max(1, config.resilience().breakerDelay().toSeconds());
            ctx.response().putHeader("Retry-After", Long.toString(retryAfter));
            problems.send(ctx, ProblemType.SERVICE_UNAVAILABLE, "The " + route.service()
                    + " is temporarily unavailable after repeated failures; try again in " + retryAfter + " s",
                    requestId);
            return;
        }
        if (cause instanceof LimitedBody.TooLargeException) {
            problems.send(ctx, ProblemType.PAYLOAD_TOO_LARGE, "The request body is larger than "
                    + ((LimitedBody.TooLargeException) cause).maxBytes() + " bytes", requestId);
            return;
        }
        ProblemType type;
        if (UpstreamGuards.isConnectFailure(cause) || cause.getClass().getSimpleName().contains("PoolTooBusy")) {
            type = ProblemType.SERVICE_UNAVAILABLE;
        } else if (cause instanceof TimeoutException || cause.getClass().getSimpleName().contains("Timeout")) {
            type = ProblemType.GATEWAY_TIMEOUT;
        } else {
            type = ProblemType.BAD_GATEWAY;
        }
        LOG.warnf("Upstream %s failed for request %s: %s", route.service(), requestId, cause.toString());
        problems.send(ctx, type, "The " + route.service() + " did not answer; try again later", requestId);
    }
}
