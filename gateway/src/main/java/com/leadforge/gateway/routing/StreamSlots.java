package com.leadforge.gateway.routing;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Singleton;

/**
 * Bounds on the live streams open through this gateway: per user and per agency (one user's reconnect loop, or one
 * agency's dashboards, cannot take every stream), and in total through the stream route's own connection pool. A slot
 * is held while the stream is open and given back exactly once when it ends, however it ends. The ordinary routes'
 * pools and the rate limiter's buckets never hold anything for a stream's lifetime, so streams cannot starve them.
 */
@Singleton
public class StreamSlots {

    /** A held slot; {@link #release()} is idempotent. */
    public interface Slot {
        void release();
    }

    private final Map<String, Integer> perUser = new ConcurrentHashMap<>();
    private final Map<String, Integer> perAgency = new ConcurrentHashMap<>();
    private final int maxPerUser;
    private final int maxPerAgency;

    public StreamSlots(GatewayConfig config) {
        this.maxPerUser = config.stream().maxPerUser();
        this.maxPerAgency = config.stream().maxPerAgency();
    }

    /** A slot for {@code user} of {@code agency} (null for none), or empty with the reason when a bound is reached. */
    public Result acquire(String user, String agency) {
        if (!take(perUser, user, maxPerUser)) {
            return new Result(Optional.empty(), "At most " + maxPerUser + " live streams per user; close one first");
        }
        if (agency != null && !take(perAgency, agency, maxPerAgency)) {
            give(perUser, user);
            return new Result(Optional.empty(), "At most " + maxPerAgency + " live streams per agency");
        }
        AtomicBoolean released = new AtomicBoolean();
        return new Result(Optional.of(() -> {
            if (released.compareAndSet(false, true)) {
                give(perUser, user);
                if (agency != null) {
                    give(perAgency, agency);
                }
            }
        }), null);
    }

    /** Streams open for {@code user} now (tests). */
    int openFor(String user) {
        return perUser.getOrDefault(user, 0);
    }

    private static boolean take(Map<String, Integer> counts, String key, int max) {
        AtomicBoolean taken = new AtomicBoolean();
        counts.compute(key, (k, count) -> {
            int now = count == null ? 0 : count;
            if (now >= max) {
                return count;
            }
            taken.set(true);
            return now + 1;
        });
        return taken.get();
    }

    private static void give(Map<String, Integer> counts, String key) {
        counts.computeIfPresent(key, (k, count) -> count <= 1 ? null : count - 1);
    }

    public record Result(Optional<Slot> slot, String refusal) {
    }
}
