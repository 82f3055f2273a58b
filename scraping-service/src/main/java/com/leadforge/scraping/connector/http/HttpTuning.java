package com.leadforge.scraping.connector.http;

import java.time.Duration;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Every bound of the HTTP connectors in one place ({@code leadforge.connectors.http.*}): timeouts, retries, the time
 * one page may take with its retries, the largest answer read, and whether private networks may be reached.
 *
 * @param retryBudget how long one page may take, all attempts and waits included; never more than 80 % of the job
 *        lease, so a page fails before another replica could presume its worker dead (the worker also renews the
 *        lease in the background while a page is read)
 * @param allowPrivateNetworks whether a source may resolve to loopback, private, link-local or unique-local
 *        addresses; off in production, so a data source cannot be aimed at the cluster's own services or at a cloud
 *        metadata endpoint and import their answers as leads
 */
public record HttpTuning(Duration connectTimeout, Duration requestTimeout, int maxAttempts, Duration initialBackoff,
        Duration maxBackoff, Duration maxRetryAfter, Duration retryBudget, long maxResponseBytes,
        Duration testTimeout, boolean allowPrivateNetworks) {

    /** A page is held in memory whole: never more than this, whatever is configured. */
    static final long MAX_RESPONSE_BYTES = 256L * 1024 * 1024;

    @Dependent
    static class Producer {

        private static final Logger LOG = Logger.getLogger(HttpTuning.class);

        @Produces
        @Singleton
        HttpTuning tuning(
                @ConfigProperty(name = "leadforge.connectors.http.connect-timeout", defaultValue = "5s") Duration connect,
                @ConfigProperty(name = "leadforge.connectors.http.request-timeout", defaultValue = "20s") Duration request,
                @ConfigProperty(name = "leadforge.connectors.http.max-attempts", defaultValue = "5") int attempts,
                @ConfigProperty(name = "leadforge.connectors.http.initial-backoff", defaultValue = "500ms") Duration initial,
                @ConfigProperty(name = "leadforge.connectors.http.max-backoff", defaultValue = "8s") Duration maxBackoff,
                @ConfigProperty(name = "leadforge.connectors.http.max-retry-after", defaultValue = "20s") Duration retryAfter,
                @ConfigProperty(name = "leadforge.connectors.http.retry-budget", defaultValue = "24s") Duration budget,
                @ConfigProperty(name = "leadforge.connectors.http.max-response-size", defaultValue = "10M") MemorySize size,
                @ConfigProperty(name = "leadforge.connectors.http.test-timeout", defaultValue = "10s") Duration test,
                @ConfigProperty(name = "leadforge.connectors.http.allow-private-networks", defaultValue = "false")
                boolean privateNetworks,
                @ConfigProperty(name = "leadforge.jobs.lease", defaultValue = "30s") Duration lease) {
            Duration ceiling = lease.multipliedBy(4).dividedBy(5);
            Duration effectiveBudget = budget;
            if (budget.compareTo(ceiling) > 0) {
                LOG.warnf("leadforge.connectors.http.retry-budget %s is longer than 80%% of the job lease (%s); "
                        + "using %s", budget, lease, ceiling);
                effectiveBudget = ceiling;
            }
            return new HttpTuning(connect, request, Math.max(1, Math.min(attempts, 10)), initial, maxBackoff,
                    retryAfter, effectiveBudget, Math.min(size.asLongValue(), MAX_RESPONSE_BYTES), test, privateNetworks);
        }
    }
}
