package com.leadforge.gateway.aggregate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import com.leadforge.gateway.ratelimit.RouteClass;
import com.leadforge.gateway.routing.ProblemResponses;
import com.leadforge.gateway.routing.RouteTable;
import com.leadforge.shared.problem.ProblemType;
import com.leadforge.shared.tenancy.Roles;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * {@code GET /api/health}: the readiness of every service behind the gateway (asked on its management port) in one
 * document, 200 when all are UP and 503 otherwise. {@code ?detailed=true} adds each service's status and latency for super_admin and agency_admin
 * tokens only; everyone else sees the overall status alone (no internal addresses either way).
 */
@Singleton
public class GatewayHealth {

    private static final Logger LOG = Logger.getLogger(GatewayHealth.class);
    private static final String READINESS = "/q/health/ready";

    private final RouteTable routes;
    private final DownstreamClient downstream;
    private final GetEndpoints endpoints;
    private final ProblemResponses problems;

    public GatewayHealth(RouteTable routes, DownstreamClient downstream, GetEndpoints endpoints,
            ProblemResponses problems) {
        this.routes = routes;
        this.downstream = downstream;
        this.endpoints = endpoints;
        this.problems = problems;
    }

    void register(@Observes Router router) {
        endpoints.serve(router, "/api/health", RouteClass.HEALTH, (ctx, identity, requestId) -> respond(ctx, identity, requestId));
    }

    private void respond(RoutingContext ctx, SecurityIdentity identity, String requestId) {
        boolean detailed = "true".equalsIgnoreCase(ctx.request().getParam("detailed")) && mayReadDetails(identity);
        Map<String, java.net.URI> services = new LinkedHashMap<>();
        routes.routes().forEach(route -> services.putIfAbsent(route.service(), route.managementUri()));
        List<Future<JsonObject>> probes = new ArrayList<>();
        services.forEach((service, base) -> probes.add(probe(service, base)));
        Future.join(probes).onComplete(ignored -> {
            try {
                JsonArray details = new JsonArray();
                boolean allUp = true;
                for (Future<JsonObject> probe : probes) {
                    JsonObject result = probe.result();
                    allUp &= "UP".equals(result.getString("status"));
                    details.add(result);
                }
                JsonObject document = new JsonObject().put("status", allUp ? "UP" : "DOWN");
                if (detailed) {
                    document.put("services", details);
                }
                ctx.response().setStatusCode(allUp ? 200 : 503)
                        .putHeader("Content-Type", "application/json")
                        .putHeader("X-Request-Id", requestId)
                        .end(document.encode());
            } catch (RuntimeException e) {
                LOG.errorf(e, "Health document for request %s failed", requestId);
                problems.send(ctx, ProblemType.INTERNAL, "The health document could not be built", requestId);
            }
        });
    }

    private Future<JsonObject> probe(String service, java.net.URI base) {
        long started = System.nanoTime();
        return downstream.get(base, READINESS).transform(answer -> {
            long latencyMillis = (System.nanoTime() - started) / 1_000_000;
            JsonObject result = new JsonObject().put("name", service).put("latency_ms", latencyMillis);
            if (answer.succeeded()) {
                int status = answer.result().status();
                result.put("status", status == 200 ? "UP" : "DOWN").put("http_status", status);
            } else {
                result.put("status", "DOWN").put("error", "unreachable");
            }
            return Future.succeededFuture(result);
        });
    }

    private static boolean mayReadDetails(SecurityIdentity identity) {
        return identity != null && !identity.isAnonymous()
                && (identity.hasRole(Roles.SUPER_ADMIN) || identity.hasRole(Roles.AGENCY_ADMIN));
    }
}
