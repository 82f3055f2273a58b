package com.leadforge.gateway.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.caffeine.Bucket4jCaffeine;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;

/**
 * Bucket4j token buckets per user and per agency for each {@link RouteClass}. With a Redis URL the buckets live in
 * Redis (compare-and-swap through Lettuce), so every gateway replica counts against the same budget; without one they
 * live in a bounded in-memory cache. If Redis fails or is slow, the request is counted in memory instead (each
 * replica then enforces the limit on its own) rather than refused or let through uncounted.
 * <p>
 * A plain class, not a bean, so that a test can run two limiters against one Redis as two replicas would.
 */
public final class RateLimiter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RateLimiter.class);
    static final String KEY_PREFIX = "leadforge:rate-limit:";
    private static final int REDIS_IO_THREADS = 2;
    private static final int REDIS_REQUEST_QUEUE_SIZE = 10_000;

    /** Who a request is counted against: always a user (or a client address), and an agency when known. */
    public record Subject(String user, String agency) {
    }

    private record Counted(long capacity, Duration period, ConsumptionProbe probe) {
    }

    private final RateLimitConfig config;
    private final Map<RouteClass, BucketConfiguration> perUser = new EnumMap<>(RouteClass.class);
    private final Map<RouteClass, BucketConfiguration> perAgency = new EnumMap<>(RouteClass.class);
    private final AsyncProxyManager<String> memoryBuckets;
    private final AsyncProxyManager<String> redisBuckets;
    private final List<AutoCloseable> redisResources = new ArrayList<>();
    private final AtomicBoolean redisDegraded = new AtomicBoolean();

    public RateLimiter(RateLimitConfig config) {
        this.config = config;
        for (RouteClass routeClass : RouteClass.values()) {
            RateLimitConfig.Limits limits = config.limitsFor(routeClass);
            perUser.put(routeClass, bucket(limits.perUser(), limits.period()));
            perAgency.put(routeClass, bucket(limits.perAgency(), limits.period()));
        }
        ExpirationAfterWriteStrategy expiry = ExpirationAfterWriteStrategy
                .basedOnTimeForRefillingBucketUpToMax(config.bucketGracePeriod());
        this.memoryBuckets = Bucket4jCaffeine.<String>builderFor(Caffeine.newBuilder()
                .maximumSize(config.maxBucketsInMemory()))
                .expirationAfterWrite(expiry)
                .build()
                .asAsync();
        this.redisBuckets = config.redisUrl().filter(url -> !url.isBlank())
                .map(url -> connectToRedis(url, expiry))
                .orElse(null);
    }

    /** Whether buckets are shared through Redis (as opposed to this gateway's memory only). */
    public boolean sharedThroughRedis() {
        return redisBuckets != null;
    }

    /**
     * Takes one token from the subject's agency bucket and user bucket of the route class. A token taken from the
     * agency bucket is given back when the user bucket refuses, so a refused request costs the agency nothing.
     */
    public CompletionStage<RateLimitDecision> consume(Subject subject, RouteClass routeClass) {
        String userKey = KEY_PREFIX + routeClass.key() + ":user:" + subject.user();
        if (subject.agency() == null) {
            return take(userKey, perUser.get(routeClass)).thenApply(userCount -> decide(List.of(userCount)));
        }
        String agencyKey = KEY_PREFIX + routeClass.key() + ":agency:" + subject.agency();
        return take(agencyKey, perAgency.get(routeClass)).thenCompose(agencyCount -> {
            if (!agencyCount.probe().isConsumed()) {
                return CompletableFuture.completedFuture(decide(List.of(agencyCount)));
            }
            return take(userKey, perUser.get(routeClass)).thenCompose(userCount -> {
                RateLimitDecision decision = decide(List.of(agencyCount, userCount));
                if (userCount.probe().isConsumed()) {
                    return CompletableFuture.completedFuture(decision);
                }
                return giveBack(agencyKey, perAgency.get(routeClass)).thenApply(ignored -> decision);
            });
        });
    }

    private CompletionStage<Counted> take(String key, BucketConfiguration bucket) {
        long capacity = bucket.getBandwidths()[0].getCapacity();
        Duration period = Duration.ofNanos(bucket.getBandwidths()[0].getRefillPeriodNanos());
        if (redisBuckets == null) {
            return takeFrom(memoryBuckets, key, bucket).thenApply(probe -> new Counted(capacity, period, probe));
        }
        return takeFrom(redisBuckets, key, bucket)
                .thenApply(probe -> {
                    if (redisDegraded.compareAndSet(true, false)) {
                        LOG.info("Rate limits are shared through Redis again");
                    }
                    return probe;
                })
                .exceptionallyCompose(failure -> {
                    if (redisDegraded.compareAndSet(false, true)) {
                        LOG.warnf("Redis is unavailable for rate limits (%s); counting in this gateway's memory",
                                failure.toString());
                    }
                    return takeFrom(memoryBuckets, key, bucket);
                })
                .thenApply(probe -> new Counted(capacity, period, probe));
    }

    private static CompletionStage<ConsumptionProbe> takeFrom(AsyncProxyManager<String> buckets, String key,
            BucketConfiguration bucket) {
        return buckets.builder().build(key, () -> CompletableFuture.completedFuture(bucket))
                .tryConsumeAndReturnRemaining(1);
    }

    private CompletionStage<Void> giveBack(String key, BucketConfiguration bucket) {
        AsyncProxyManager<String> buckets = redisBuckets != null && !redisDegraded.get() ? redisBuckets
                : memoryBuckets;
        return buckets.builder().build(key, () -> CompletableFuture.completedFuture(bucket)).addTokens(1)
                .exceptionally(failure -> null);
    }

    private static RateLimitDecision decide(List<Counted> counts) {
        Counted binding = counts.stream().filter(count -> !count.probe().isConsumed()).findFirst()
                .orElseGet(() -> counts.stream()
                        .min(Comparator.comparingLong(count -> count.probe().getRemainingTokens())).orElseThrow());
        ConsumptionProbe probe = binding.probe();
        return new RateLimitDecision(probe.isConsumed(), binding.capacity(), Math.max(0, probe.getRemainingTokens()),
                ceilSeconds(probe.getNanosToWaitForReset()),
                Math.max(1, ceilSeconds(probe.getNanosToWaitForRefill())),
                binding.capacity() + ";w=" + Math.max(1, binding.period().toSeconds()));
    }

    private static long ceilSeconds(long nanos) {
        return nanos <= 0 ? 0 : (nanos + 999_999_999L) / 1_000_000_000L;
    }

    private static BucketConfiguration bucket(long capacity, Duration period) {
        return BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, period))
                .build();
    }

    private AsyncProxyManager<String> connectToRedis(String url, ExpirationAfterWriteStrategy expiry) {
        ClientResources resources = DefaultClientResources.builder()
                .ioThreadPoolSize(REDIS_IO_THREADS)
                .computationThreadPoolSize(REDIS_IO_THREADS)
                .build();
        redisResources.add(() -> resources.shutdown());
        RedisClient client = RedisClient.create(resources, RedisURI.create(url));
        redisResources.add(0, client::shutdown);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // While Redis is down commands fail at once (and are counted in memory) instead of queueing.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(REDIS_REQUEST_QUEUE_SIZE)
                .timeoutOptions(TimeoutOptions.enabled(config.redisTimeout()))
                .build());
        StatefulRedisConnection<String, byte[]> connection = client
                .connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
        redisResources.add(0, connection::close);
        LOG.infof("Rate limits are shared through Redis at %s:%d", RedisURI.create(url).getHost(),
                RedisURI.create(url).getPort());
        return Bucket4jLettuce.casBasedBuilder(connection)
                .expirationAfterWrite(expiry)
                .requestTimeout(config.redisTimeout())
                .build()
                .asAsync();
    }

    @Override
    public void close() {
        for (AutoCloseable resource : redisResources) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.debugf("Closing a Redis resource failed: %s", e.toString());
            }
        }
    }
}
