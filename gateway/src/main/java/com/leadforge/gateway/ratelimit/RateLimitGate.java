package com.leadforge.gateway.ratelimit;

import java.util.EnumMap;
import java.util.Map;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import com.leadforge.gateway.edge.ClientAddress;
import com.leadforge.gateway.routing.ProblemResponses;
import com.leadforge.shared.problem.ProblemType;
import com.leadforge.shared.tenancy.AgencyId;
import com.leadforge.shared.tenancy.Roles;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;

/**
 * Counts every {@code /api} request against its buckets for the route class the caller determined from the routed
 * path, writes the rate-limit headers, and answers 429 (problem+json
 * with {@code Retry-After}) when a bucket is empty. Authenticated requests count against their user ({@code sub}) and
 * agency; anonymous or unauthenticated ones against the client address ({@link ClientAddress}: the socket peer, or
 * what trusted proxies say is the client).
 */
@Singleton
public class RateLimitGate {

    private static final Logger LOG = Logger.getLogger(RateLimitGate.class);

    private final RateLimiter limiter;
    private final RateLimitConfig config;
    private final ProblemResponses problems;
    private final ClientAddress clientAddress;

    private final Map<RouteClass, Counter> rejections = new EnumMap<>(RouteClass.class);

    public RateLimitGate(RateLimiter limiter, RateLimitConfig config, ProblemResponses problems,
            ClientAddress clientAddress, MeterRegistry meters) {

        for (RouteClass routeClass : RouteClass.values()) {
            // Registered up front: a class that never refused shows 0 rather than no series.
            rejections.put(routeClass, Counter.builder("leadforge.gateway.rate.limit.rejections")
                    .description("Requests answered 429 by the gateway's rate limits")
                    .tag("route_class", routeClass.key()).register(meters));
        }
        this.limiter = limiter;
        this.config = config;
        this.problems = problems;
        this.clientAddress = clientAddress;
    }

    /**
     * Runs {@code admitted} on {@code context} when the request is within its limits; otherwise answers 429. A failure
     * of the limiter itself lets the request through (logged): rate limiting must not take the API down.
     */
    public void admit(RoutingContext ctx, Context context, SecurityIdentity identity, String requestId,
            RouteClass routeClass, Runnable admitted) {
        if (ctx.response().headWritten()) {
            // Already answered (e.g. Quarkus's own 401 for an unverifiable token): nothing left to count or say.
            return;
        }
        if (!config.enabled()) {
            admitted.run();
            return;
        }
        HttpServerRequest request = ctx.request();
        RateLimiter.Subject subject = subjectOf(identity, request);
        limiter.consume(subject, routeClass).whenComplete((decision, failure) -> context.runOnContext(ignored -> {
            if (ctx.response().headWritten()) {
                return;
            }
            if (failure != null) {
                LOG.warnf("Rate limiter failed for request %s, letting it through: %s", requestId, failure.toString());
                admitted.run();
                return;
            }
            decision.writeHeaders(ctx.response().headers());
            if (decision.allowed()) {
                admitted.run();
            } else {
                rejections.get(routeClass).increment();
                problems.send(ctx, ProblemType.RATE_LIMITED, "Rate limit for " + routeClass.key()
                        + " requests exceeded; retry after " + decision.retryAfterSeconds() + " s", requestId);
            }
        }));
    }

    public RateLimiter.Subject subjectOf(SecurityIdentity identity, HttpServerRequest request) {
        if (identity != null && !identity.isAnonymous() && identity.getPrincipal() instanceof JsonWebToken token) {
            String user = token.getSubject() != null ? token.getSubject() : token.getName();
            String agency;
            if (identity.hasRole(Roles.SUPER_ADMIN)) {
                String acting = request.getHeader(Roles.ACTING_AGENCY_HEADER);
                agency = AgencyId.isValid(acting) ? AgencyId.normalise(acting) : null;
            } else {
                Object claim = token.getClaim(Roles.AGENCY_CLAIM);
                String value = claim == null ? null : claim.toString().replace("\"", "");
                agency = AgencyId.isValid(value) ? AgencyId.normalise(value) : null;
            }
            return new RateLimiter.Subject("sub:" + user, agency);
        }
        // The real client behind trusted proxies: behind an ingress the socket peer is the same for everyone.
        String address = clientAddress.resolve(request).client();
        return new RateLimiter.Subject("address:" + address, null);
    }
}
