package com.leadforge.gateway.routing;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

@ConfigMapping(prefix = "leadforge.gateway")
public interface GatewayConfig {

    /** The services' API base URLs: where requests are forwarded. */
    Services services();

    /** The services' management base URLs: their readiness and OpenAPI document (/q/...). */
    Services management();

    Duration connectTimeout();

    /** Time allowed for a service to start answering (status and headers) an ordinary request. */
    Duration responseTimeout();

    /** Longest silence allowed while a request or response body is streaming. */
    Duration idleTimeout();

    /** Bulk operations and exports: slower to start answering and streaming for longer. */
    LongRunning longRunning();

    int maxConnectionsPerService();

    /** The live stream route: its own timeouts, connection pool and bounds on open streams. */
    Stream stream();

    /** Bound on each of the gateway's own requests to a service (readiness for /api/health, OpenAPI documents). */
    Duration downstreamProbeTimeout();

    /** The longest wait queue for a pooled connection to one service; beyond it requests fail at once (503). */
    int maxWaitingRequestsPerService();

    Resilience resilience();

    /** Largest request body but uploads (413 above it). */
    io.quarkus.runtime.configuration.MemorySize maxBodySize();

    /** Regular expression of the paths that take a file as their body, with their own limit. */
    String uploadPaths();

    /** Largest upload body; {@code quarkus.http.limits.max-body-size} must be at least this. */
    io.quarkus.runtime.configuration.MemorySize uploadMaxBodySize();

    /**
     * Proxies in front of the gateway (IP addresses or CIDR ranges) whose {@code X-Forwarded-*} headers are believed;
     * empty = none, the socket peer is the client. See {@code edge.ClientAddress}.
     */
    Optional<List<String>> trustedProxies();

    interface Services {
        String leads();

        String campaigns();

        String scraping();

        String analytics();
    }

    interface LongRunning {
        Duration responseTimeout();

        Duration idleTimeout();
    }

    interface Stream {
        /** Time allowed for the service to send the stream's response head. */
        Duration responseTimeout();

        /** Longest silence on an open stream (the service sends a heartbeat every 15 s). */
        Duration idleTimeout();

        /** Connections to the streaming service at most (= open streams through this gateway); 503 beyond. */
        int maxConnections();

        /** Open streams per user (token sub) through this gateway; 429 beyond. */
        int maxPerUser();

        /** Open streams per agency through this gateway; 429 beyond. */
        int maxPerAgency();
    }

    interface Resilience {
        /** Extra attempts for GET, HEAD and OPTIONS when the connection to the service cannot be made. */
        int idempotentRetries();

        Duration retryDelay();

        /** The breaker of one service judges its last this-many requests... */
        int breakerRequestVolume();

        /** ...and opens when at least this share of them failed (connect failures, timeouts, resets). */
        double breakerFailureRatio();

        /** How long an open breaker answers 503 at once before letting a trial request through. */
        Duration breakerDelay();
    }
}
