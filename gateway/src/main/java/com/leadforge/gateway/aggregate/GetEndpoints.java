package com.leadforge.gateway.aggregate;

import com.leadforge.gateway.edge.ProblemFallbacks;
import com.leadforge.gateway.ratelimit.RateLimitGate;
import com.leadforge.gateway.ratelimit.RouteClass;
import com.leadforge.gateway.routing.ProblemResponses;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.Context;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;

/**
 * The gateway's own read-only endpoints ({@code /api/health}, {@code /api/openapi}): GET only (other methods get a
 * 405 problem), answered after the caller's identity is resolved — anonymous callers included — and the rate limit
 * admits the request.
 */
@Singleton
public class GetEndpoints {

    /** Answers one admitted request; {@code identity} is null for a caller without a valid token. */
    @FunctionalInterface
    public interface Responder {
        void respond(RoutingContext ctx, SecurityIdentity identity, String requestId);
    }

    private final RateLimitGate rateLimits;
    private final ProblemResponses problems;

    public GetEndpoints(RateLimitGate rateLimits, ProblemResponses problems) {
        this.rateLimits = rateLimits;
        this.problems = problems;
    }

    /** Serves GET {@code path}; its requests count against {@code routeClass} whatever spelling reached the route. */
    public void serve(Router router, String path, RouteClass routeClass, Responder responder) {
        router.route(path).handler(ctx -> {
            if (ProblemFallbacks.refuseUnlessGet(ctx, problems)) {
                return;
            }
            String requestId = ProblemResponses.requestIdOf(ctx);
            Context context = ctx.vertx().getOrCreateContext();
            QuarkusHttpUser.getSecurityIdentity(ctx, null).subscribe().with(
                    identity -> rateLimits.admit(ctx, context, identity, requestId, routeClass,
                            () -> responder.respond(ctx, identity, requestId)),
                    failure -> rateLimits.admit(ctx, context, null, requestId, routeClass,
                            () -> responder.respond(ctx, null, requestId)));
        });
    }
}
