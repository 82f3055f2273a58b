package com.leadforge.gateway.routing;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Singleton;

/**
 * Which service owns which public path. Paths are forwarded unchanged: each service serves the same
 * {@code /api/v1/...} paths it is reached by, so a service's OpenAPI document is also the public one.
 */
@Singleton
public class RouteTable {

    public record Route(String prefix, String service, URI baseUri) {

        boolean matches(String path) {
            return path.equals(prefix) || path.startsWith(prefix + "/");
        }
    }

    private final List<Route> routes;

    public RouteTable(GatewayConfig config) {
        GatewayConfig.Services services = config.services();
        this.routes = List.of(
                new Route("/api/v1/leads", "lead-service", URI.create(services.leads())),
                new Route("/api/v1/campaigns", "campaign-service", URI.create(services.campaigns())),
                new Route("/api/v1/data-sources", "scraping-service", URI.create(services.scraping())),
                new Route("/api/v1/jobs", "scraping-service", URI.create(services.scraping())),
                new Route("/api/v1/analytics", "analytics-service", URI.create(services.analytics())));
    }

    public Optional<Route> resolve(String path) {
        return routes.stream().filter(route -> route.matches(path)).findFirst();
    }

    public List<Route> routes() {
        return routes;
    }
}
