package com.leadforge.gateway.ratelimit;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

/** {@code leadforge.gateway.rate-limit.*}: see the "Rate limits" section of application.properties. */
@ConfigMapping(prefix = "leadforge.gateway.rate-limit")
public interface RateLimitConfig {

    boolean enabled();

    /** {@code redis://host:port}: when set, every gateway replica shares its buckets through this Redis. */
    Optional<String> redisUrl();

    /** How long one bucket operation may take in Redis before the gateway falls back to its own memory. */
    Duration redisTimeout();

    /** Upper bound on the buckets one gateway keeps in memory (least recently used ones are dropped first). */
    long maxBucketsInMemory();

    /** How long a bucket outlives the moment it would be full again (in memory and as a Redis key TTL). */
    Duration bucketGracePeriod();

    RouteClasses classes();

    interface RouteClasses {
        @WithName("default")
        Limits defaults();

        Limits mutations();

        Limits bulk();

        Limits export();

        Limits health();

        Limits stream();
    }

    /** Two buckets per route class: one per user and one per agency; a request needs a token from both. */
    interface Limits {
        long perUser();

        long perAgency();

        /** The period in which {@link #perUser()} and {@link #perAgency()} requests are allowed. */
        Duration period();
    }

    default Limits limitsFor(RouteClass routeClass) {
        return switch (routeClass) {
            case DEFAULT -> classes().defaults();
            case MUTATIONS -> classes().mutations();
            case BULK -> classes().bulk();
            case EXPORT -> classes().export();
            case HEALTH -> classes().health();
            case STREAM -> classes().stream();
        };
    }
}
