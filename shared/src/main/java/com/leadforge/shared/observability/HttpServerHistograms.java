package com.leadforge.shared.observability;

import java.time.Duration;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * HTTP server timings as a histogram with fixed SLO buckets, so that Prometheus can compute latency quantiles across
 * replicas (the p95-over-SLO alert in k8s/monitoring reads {@code http_server_requests_seconds_bucket}) without
 * every service publishing hundreds of percentile buckets.
 */
@Singleton
public class HttpServerHistograms {

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
}
