package com.leadforge.gateway.edge;

import org.jboss.logging.Logger;

import com.leadforge.gateway.routing.ProblemResponses;
import com.leadforge.shared.problem.ProblemType;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Makes the gateway's remaining answers problem+json too: a gateway endpoint called with the wrong method (405), and
 * any failure that reaches the router (authentication failures as 401, everything else by its status, unknown ones as
 * 500 without details). Paths nothing serves are already 404 problem+json (the shared module's exception mappers).
 */
@Singleton
public class ProblemFallbacks {

    private static final Logger LOG = Logger.getLogger(ProblemFallbacks.class);
    /** Failure handlers run in order: this one answers before Quarkus's default error page. */
    private static final int BEFORE_DEFAULT_FAILURE_HANDLERS = -1_000;

    private final ProblemResponses problems;

    public ProblemFallbacks(ProblemResponses problems) {
        this.problems = problems;
    }

    void register(@Observes Router router) {
        router.route().order(BEFORE_DEFAULT_FAILURE_HANDLERS).failureHandler(this::failed);
    }

    /** For the gateway's GET-only endpoints: 405 problem+json for any other method. */
    public static boolean refuseUnlessGet(RoutingContext ctx, ProblemResponses problems) {
        if (ctx.request().method() == io.vertx.core.http.HttpMethod.GET) {
            return false;
        }
        ctx.response().putHeader("Allow", "GET");
        problems.send(ctx, ProblemType.METHOD_NOT_ALLOWED, "Use GET on this path", ProblemResponses.requestIdOf(ctx));
        return true;
    }

    void failed(RoutingContext ctx) {
        if (ctx.response().ended()) {
            return;
        }
        String requestId = ProblemResponses.requestIdOf(ctx);
        Throwable failure = ctx.failure();
        ProblemType type;
        if (failure instanceof AuthenticationFailedException || failure instanceof UnauthorizedException) {
            type = ProblemType.UNAUTHORIZED;
        } else if (failure instanceof ForbiddenException) {
            type = ProblemType.FORBIDDEN;
        } else if (ctx.statusCode() >= 400) {
            type = ProblemType.forStatus(ctx.statusCode());
        } else {
            type = ProblemType.INTERNAL;
        }
        if (type == ProblemType.INTERNAL) {
            LOG.errorf(failure, "Request %s failed", requestId);
        }
        String detail = switch (type) {
            case UNAUTHORIZED -> "A valid bearer token is required";
            case INTERNAL -> "The gateway could not handle the request";
            default -> type.title();
        };
        problems.send(ctx, type, detail, requestId);
    }
}
