package com.leadforge.shared.observability;

import java.time.Duration;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * HTTP server meters that Prometheus can always accept.
 * <ul>
 * <li>Timings as a histogram with fixed SLO buckets, so that Prometheus can compute latency quantiles across replicas
 * (the p95-over-SLO alert in k8s/monitoring reads {@code http_server_requests_seconds_bucket}) without every service
 * publishing hundreds of percentile buckets.</li>
 * <li>No {@code server.port} tag. Quarkus tags the Vert.x server meters with the port only when the port is fixed, and
 * the Prometheus registry refuses a second meter of the same name with other tag keys. With one server on a fixed
 * port and the other on a random one (port 0, as in tests), the refusal is thrown inside the listen callback and the
 * HTTP server's start never completes: the application hangs at boot. Ports are the same on every replica, so the tag
 * told nothing anyway.</li>
 * </ul>
 */
@Singleton
public class HttpServerHistograms {

    static final String SERVER_PORT_TAG = "server.port";

    static final Duration[] SLO_BUCKETS = { Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5) };

    @Produces
    @Singleton
    MeterFilter httpServerSloBuckets() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!"http.server.requests".equals(id.getName())) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        .serviceLevelObjectives(java.util.Arrays.stream(SLO_BUCKETS)
                                .mapToDouble(bucket -> bucket.toNanos()).toArray())
                        .build().merge(config);
            }
        };
    }

    @Produces
    @Singleton
    MeterFilter withoutServerPort() {
        return MeterFilter.ignoreTags(SERVER_PORT_TAG);
    }
}
