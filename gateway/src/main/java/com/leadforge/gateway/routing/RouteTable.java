package com.leadforge.gateway.routing;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Singleton;

/**
 * Which service owns which public path. Paths are forwarded as routed (the {@link RequestPath} form, not the client's
 * spelling), with no prefix stripped: each service serves the same {@code /api/v1/...} paths it is reached by, so a
 * service's OpenAPI document is also the public one.
 * <table>
 * <caption>Route table</caption>
 * <tr><th>prefix</th><th>service</th></tr>
 * <tr><td>{@code /api/v1/leads/**}</td><td>lead-service</td></tr>
 * <tr><td>{@code /api/v1/campaigns/**}</td><td>campaign-service</td></tr>
 * <tr><td>{@code /api/v1/data-sources/**}, {@code /api/v1/jobs/**}</td><td>scraping-service</td></tr>
 * <tr><td>{@code /api/v1/analytics/**}</td><td>analytics-service</td></tr>
 * <tr><td>{@code /api/v1/stream}</td><td>analytics-service: the live stream (server-sent events), fed from the
 * same events; relayed as {@link com.leadforge.gateway.ratelimit.RouteClass#STREAM}.</td></tr>
 * <tr><td>{@code /api/v1/notifications/**}</td><td>analytics-service: notifications are derived from the same
 * events the analytics read models consume, so the analytics-service owns them rather than a service of their
 * own.</td></tr>
 * </table>
 * Anything else under {@code /api/v1} is 404 problem+json.
 */
@Singleton
public class RouteTable {

    /** {@code baseUri} is where requests go; {@code managementUri} where the service's /q endpoints answer. */
    public record Route(String prefix, String service, URI baseUri, URI managementUri) {

        boolean matches(String path) {
            return path.equals(prefix) || path.startsWith(prefix + "/");
        }
    }

    private final List<Route> routes;

    public RouteTable(GatewayConfig config) {
        GatewayConfig.Services services = config.services();
        GatewayConfig.Services management = config.management();
        URI leads = URI.create(services.leads());
        URI campaigns = URI.create(services.campaigns());
        URI scraping = URI.create(services.scraping());
        URI analytics = URI.create(services.analytics());
        this.routes = List.of(
                new Route("/api/v1/leads", "lead-service", leads, URI.create(management.leads())),
                new Route("/api/v1/campaigns", "campaign-service", campaigns, URI.create(management.campaigns())),
                new Route("/api/v1/data-sources", "scraping-service", scraping, URI.create(management.scraping())),
                new Route("/api/v1/jobs", "scraping-service", scraping, URI.create(management.scraping())),
                new Route("/api/v1/analytics", "analytics-service", analytics, URI.create(management.analytics())),
                new Route("/api/v1/notifications", "analytics-service", analytics,
                        URI.create(management.analytics())),
                new Route("/api/v1/stream", "analytics-service", analytics, URI.create(management.analytics())));
    }

    public Optional<Route> resolve(String path) {
        return routes.stream().filter(route -> route.matches(path)).findFirst();
    }

    public List<Route> routes() {
        return routes;
    }
}
