package com.leadforge.gateway.routing;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;

@ConfigMapping(prefix = "leadforge.gateway")
public interface GatewayConfig {

    Services services();

    Duration connectTimeout();

    Duration responseTimeout();

    Duration idleTimeout();

    int maxConnectionsPerService();

    interface Services {
        String leads();

        String campaigns();

        String scraping();

        String analytics();
    }
}
