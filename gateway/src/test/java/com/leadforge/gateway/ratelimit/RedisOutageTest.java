package com.leadforge.gateway.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.leadforge.testsupport.RedisServer;

/** When Redis goes away the limiter keeps counting, in memory: requests are neither refused nor let through free. */
class RedisOutageTest {

    record FixedLimits(long perUser, long perAgency, Duration period) implements RateLimitConfig.Limits {
    }

    record Config(Optional<String> redisUrl) implements RateLimitConfig {
        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public Duration redisTimeout() {
            return Duration.ofMillis(250);
        }

        @Override
        public long maxBucketsInMemory() {
            return 1000;
        }

        @Override
        public Duration bucketGracePeriod() {
            return Duration.ofSeconds(10);
        }

        @Override
        public RouteClasses classes() {
            FixedLimits limits = new FixedLimits(2, 100, Duration.ofHours(1));
            return new RouteClasses() {
                @Override
                public RateLimitConfig.Limits defaults() {
                    return limits;
                }

                @Override
                public RateLimitConfig.Limits mutations() {
                    return limits;
                }

                @Override
                public RateLimitConfig.Limits bulk() {
                    return limits;
                }

                @Override
                public RateLimitConfig.Limits export() {
                    return limits;
                }

                @Override
                public RateLimitConfig.Limits health() {
                    return limits;
                }

                @Override
                public RateLimitConfig.Limits stream() {
                    return limits;
                }
            };
        }
    }

    @Test
    void aRedisOutageFallsBackToCountingInMemory() throws Exception {
        RedisServer redis = RedisServer.startEphemeral();
        try (RateLimiter limiter = new RateLimiter(new Config(Optional.of(redis.url())))) {
            var subject = new RateLimiter.Subject("sub:" + UUID.randomUUID(), UUID.randomUUID().toString());
            assertTrue(limiter.sharedThroughRedis());
            assertEquals(1, consume(limiter, subject).remaining());

            redis.close();
            RateLimitDecision first = consume(limiter, subject);
            assertTrue(first.allowed(), "counted in memory, with a fresh bucket");
            assertEquals(1, first.remaining());
            assertTrue(consume(limiter, subject).allowed());
            assertFalse(consume(limiter, subject).allowed(), "the in-memory bucket still enforces the limit");
        } finally {
            redis.close();
        }
    }

    private static RateLimitDecision consume(RateLimiter limiter, RateLimiter.Subject subject) throws Exception {
        return limiter.consume(subject, RouteClass.DEFAULT).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
