package com.leadforge.gateway.aggregate;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import com.leadforge.gateway.ratelimit.RouteClass;
import com.leadforge.gateway.routing.ProblemResponses;
import com.leadforge.gateway.routing.RouteTable;
import com.leadforge.shared.problem.ProblemType;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * {@code GET /api/openapi}: the services' OpenAPI documents ({@code /q/openapi?format=json} on their management
 * ports) merged into one public document: their {@code /api/...} paths, components and tags. A service
 * that does not answer is left out and named in {@code x-leadforge-unavailable-services}.
 */
@Singleton
public class MergedOpenApi {

    private static final Logger LOG = Logger.getLogger(MergedOpenApi.class);
    private static final String SERVICE_DOCUMENT = "/q/openapi?format=json";

    private final RouteTable routes;
    private final DownstreamClient downstream;
    private final GetEndpoints endpoints;
    private final ProblemResponses problems;

    public MergedOpenApi(RouteTable routes, DownstreamClient downstream, GetEndpoints endpoints,
            ProblemResponses problems) {
        this.routes = routes;
        this.downstream = downstream;
        this.endpoints = endpoints;
        this.problems = problems;
    }

    void register(@Observes Router router) {
        endpoints.serve(router, "/api/openapi", RouteClass.DEFAULT, (ctx, identity, requestId) -> respond(ctx, requestId));
    }

    private void respond(RoutingContext ctx, String requestId) {
        // One document per service address (several routes may share a service).
        Map<URI, String> services = new LinkedHashMap<>();
        routes.routes().forEach(route -> services.putIfAbsent(route.managementUri(), route.service()));
        List<String> names = new ArrayList<>(services.values());
        List<Future<JsonObject>> documents = new ArrayList<>();
        services.keySet().forEach(base -> documents.add(downstream.get(base, SERVICE_DOCUMENT)
                .map(answer -> answer.status() == 200 ? new JsonObject(answer.body()) : null)));
        Future.join(documents).onComplete(ignored -> {
            try {
                JsonArray unavailable = new JsonArray();
                List<JsonObject> available = new ArrayList<>();
                for (int i = 0; i < documents.size(); i++) {
                    Future<JsonObject> document = documents.get(i);
                    if (document.succeeded() && document.result() != null) {
                        available.add(document.result());
                    } else {
                        unavailable.add(names.get(i));
                    }
                }
                JsonObject merged = merge(available);
                if (!unavailable.isEmpty()) {
                    merged.put("x-leadforge-unavailable-services", unavailable);
                }
                ctx.response().setStatusCode(200)
                        .putHeader("Content-Type", "application/json")
                        .putHeader("X-Request-Id", requestId)
                        .end(merged.encode());
            } catch (RuntimeException e) {
                LOG.errorf(e, "Merging OpenAPI documents for request %s failed", requestId);
                problems.send(ctx, ProblemType.BAD_GATEWAY, "The services' API documents could not be merged",
                        requestId);
            }
        });
    }

    static JsonObject merge(List<JsonObject> documents) {
        JsonObject paths = new JsonObject();
        JsonObject components = new JsonObject();
        JsonArray tags = new JsonArray();
        List<String> tagNames = new ArrayList<>();
        String version = "3.0.3";
        for (JsonObject document : documents) {
            version = document.getString("openapi", version);
            JsonObject documentPaths = document.getJsonObject("paths", new JsonObject());
            for (String path : documentPaths.fieldNames()) {
                if (path.startsWith("/api/") && !paths.containsKey(path)) {
                    paths.put(path, documentPaths.getValue(path));
                }
            }
            JsonObject documentComponents = document.getJsonObject("components", new JsonObject());
            for (String section : documentComponents.fieldNames()) {
                JsonObject target = components.getJsonObject(section);
                if (target == null) {
                    target = new JsonObject();
                    components.put(section, target);
                }
                JsonObject entries = documentComponents.getJsonObject(section, new JsonObject());
                for (String name : entries.fieldNames()) {
                    if (!target.containsKey(name)) {
                        target.put(name, entries.getValue(name));
                    }
                }
            }
            for (Object tag : document.getJsonArray("tags", new JsonArray())) {
                if (tag instanceof JsonObject tagObject && !tagNames.contains(tagObject.getString("name"))) {
                    tagNames.add(tagObject.getString("name"));
                    tags.add(tagObject);
                }
            }
        }
        JsonObject merged = new JsonObject()
                .put("openapi", version)
                .put("info", new JsonObject().put("title", "LeadForge API").put("version", "v1")
                        .put("description", "Every LeadForge endpoint, as served through the gateway. Errors are "
                                + "application/problem+json."))
                .put("paths", paths);
        if (!components.isEmpty()) {
            merged.put("components", components);
        }
        if (!tags.isEmpty()) {
            merged.put("tags", tags);
        }
        return merged;
    }
}
