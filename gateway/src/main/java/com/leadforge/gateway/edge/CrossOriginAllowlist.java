package com.leadforge.gateway.edge;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.leadforge.gateway.routing.ProblemResponses;
import com.leadforge.shared.problem.ProblemType;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Refuses, as problem+json, a browser request from an origin that is not on the allowlist
 * ({@code quarkus.http.cors.origins}, from {@code LEADFORGE_GATEWAY_CORS_ORIGINS}; empty = no other origin). It runs
 * just before Quarkus's CORS filter, which then answers preflights and adds the CORS headers for allowed origins; on
 * its own that filter would refuse with a bare 403.
 */
@Singleton
public class CrossOriginAllowlist {

    /** Quarkus registers its CORS filter with priority 300; higher runs first. */
    private static final int BEFORE_QUARKUS_CORS = 310;

    private final List<String> exactOrigins;
    private final List<Pattern> originPatterns;
    private final ProblemResponses problems;

    public CrossOriginAllowlist(@ConfigProperty(name = "quarkus.http.cors.origins") Optional<List<String>> origins,
            ProblemResponses problems) {
        List<String> configured = origins.orElse(List.of()).stream().map(String::trim).filter(o -> !o.isEmpty())
                .toList();
        this.exactOrigins = configured.stream().filter(o -> !isPattern(o)).toList();
        this.originPatterns = configured.stream().filter(CrossOriginAllowlist::isPattern)
                .map(o -> Pattern.compile(o.substring(1, o.length() - 1))).toList();
        this.problems = problems;
    }

    void register(@Observes Filters filters) {
        filters.register(this::check, BEFORE_QUARKUS_CORS);
    }

    void check(RoutingContext ctx) {
        String origin = ctx.request().getHeader("Origin");
        if (origin == null || isAllowed(origin) || isSameOrigin(origin, ctx.request())) {
            ctx.next();
            return;
        }
        problems.send(ctx, ProblemType.FORBIDDEN, "Cross-origin requests from this origin are not allowed",
                ProblemResponses.requestIdOf(ctx));
    }

    boolean isAllowed(String origin) {
        return exactOrigins.contains(origin) || originPatterns.stream().anyMatch(p -> p.matcher(origin).matches());
    }

    /**
     * A page served by the gateway itself (Swagger UI, in dev mode) may call it. The scheme is not compared: behind a TLS-terminating
     * load balancer the gateway sees http while the browser's origin is https; the host and port are what the browser
     * connected to.
     */
    private static boolean isSameOrigin(String origin, HttpServerRequest request) {
        try {
            URI uri = URI.create(origin);
            String host = request.getHeader("Host");
            if (uri.getScheme() == null || uri.getHost() == null || host == null) {
                return false;
            }
            String defaultPortless = uri.getHost();
            String withPort = uri.getHost() + ":" + (uri.getPort() != -1 ? uri.getPort()
                    : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80);
            return uri.getPort() == -1 ? host.equalsIgnoreCase(defaultPortless) || host.equalsIgnoreCase(withPort)
                    : host.equalsIgnoreCase(withPort);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isPattern(String origin) {
        return origin.length() > 2 && origin.startsWith("/") && origin.endsWith("/");
    }
}
