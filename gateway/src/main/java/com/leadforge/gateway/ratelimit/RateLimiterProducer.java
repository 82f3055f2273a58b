package com.leadforge.gateway.ratelimit;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes the gateway's {@link RateLimiter} a bean and closes its Redis connection on shutdown. */
@Singleton
public class RateLimiterProducer {

    @Produces
    @Singleton
    RateLimiter rateLimiter(RateLimitConfig config) {
        return new RateLimiter(config);
    }

    void close(@Disposes RateLimiter rateLimiter) {
        rateLimiter.close();
    }
}
