package com.leadforge.gateway.ratelimit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.leadforge.testsupport.TestTokens;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * Two gateway replicas share one budget through a real redis-server: replica 1 is the gateway under test (answering
 * HTTP), replica 2 is a second {@link RateLimiter} built from the same configuration with its own Redis connection,
 * exactly what a second gateway process constructs at start-up.
 */
@QuarkusTest
@TestProfile(SharedRateLimitTest.SharedThroughRedis.class)
class SharedRateLimitTest {

    static final int READS_PER_USER = 4;

    public static class SharedThroughRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "leadforge.gateway.rate-limit.classes.default.per-user", String.valueOf(READS_PER_USER),
                    "leadforge.gateway.rate-limit.classes.default.period", "1H");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RedisTestResource.class));
        }
    }

    @Inject
    RateLimitConfig config;

    @Inject
    RateLimiter gatewayLimiter;

    @Test
    void twoReplicasSharingOneRedisEnforceOneLimit() throws Exception {
        assertTrue(gatewayLimiter.sharedThroughRedis(), "the gateway under test must use Redis");
        String username = "shared-" + UUID.randomUUID();
        String agency = UUID.randomUUID().toString();
        String token = TestTokens.user(username).agency(agency).roles("researcher").sign();
        var subject = new RateLimiter.Subject(
                "sub:" + UUID.nameUUIDFromBytes(username.getBytes(StandardCharsets.UTF_8)), agency);

        try (RateLimiter secondReplica = new RateLimiter(config)) {
            assertTrue(secondReplica.sharedThroughRedis());
            given().auth().oauth2(token).when().get("/api/v1/leads")
                    .then().statusCode(200).header("RateLimit-Remaining", "3");
            assertEquals(2, consume(secondReplica, subject).remaining());
            given().auth().oauth2(token).when().get("/api/v1/leads")
                    .then().statusCode(200).header("RateLimit-Remaining", "1");
            RateLimitDecision last = consume(secondReplica, subject);
            assertTrue(last.allowed());
            assertEquals(0, last.remaining());

            // The budget of 4 is spent across both replicas: each of them now refuses.
            given().auth().oauth2(token).when().get("/api/v1/leads")
                    .then().statusCode(429).contentType("application/problem+json");
            assertFalse(consume(secondReplica, subject).allowed());
        }

        // Control: a replica that does not share Redis still has the full budget, so the refusals above came from
        // the shared buckets and not from anything local.
        try (RateLimiter isolatedReplica = new RateLimiter(withoutRedis(config))) {
            assertFalse(isolatedReplica.sharedThroughRedis());
            assertEquals(READS_PER_USER - 1, consume(isolatedReplica, subject).remaining());
        }

        // And the buckets are real Redis keys, with a TTL (bounded).
        RedisClient client = RedisClient.create(config.redisUrl().orElseThrow());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            String userKey = RateLimiter.KEY_PREFIX + "default:user:" + subject.user();
            assertEquals(1L, connection.sync().exists(userKey));
            long ttl = connection.sync().pttl(userKey);
            assertTrue(ttl > 0 && ttl <= Duration.ofHours(1).plusSeconds(10).toMillis(), "TTL " + ttl);
        } finally {
            client.shutdown();
        }
    }

    private static RateLimitDecision consume(RateLimiter limiter, RateLimiter.Subject subject) throws Exception {
        return limiter.consume(subject, RouteClass.DEFAULT).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static RateLimitConfig withoutRedis(RateLimitConfig config) {
        return new RateLimitConfig() {
            @Override
            public boolean enabled() {
                return config.enabled();
            }

            @Override
            public Optional<String> redisUrl() {
                return Optional.empty();
            }

            @Override
            public Duration redisTimeout() {
                return config.redisTimeout();
            }

            @Override
            public long maxBucketsInMemory() {
                return config.maxBucketsInMemory();
            }

            @Override
            public Duration bucketGracePeriod() {
                return config.bucketGracePeriod();
            }

            @Override
            public RouteClasses classes() {
                return config.classes();
            }
        };
    }
}
