package com.leadforge.analytics.report;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

/**
 * Analytics answers cached per replica, keyed by the agency's {@code analytics_version} (and that table's identity, which a rebuild's switch-over
 * changes), which every transaction that
 * applies the agency's events changes (whichever replica consumed them): an answer is served again only while no event
 * of its agency has been applied since, so the cache is correct with any number of replicas and needs no TTL. The
 * version is read before the answer is computed, so a cached answer is never older than its key. Bounded (least
 * recently used entries go first); an agency without a version (no event applied yet) is not cached.
 *
 * <p>An answer computed on a miss runs under a statement budget ({@code leadforge.analytics.query-timeout}, local to
 * the request's transaction): a year of a large agency's buckets grouped by campaign takes over a second, and a query
 * that runs away answers 503 with Retry-After (SQLSTATE 57014) instead of holding a pooled connection.
 */
@ApplicationScoped
public class AnswerCache {

    private final EntityManager entityManager;
    private final Map<List<Object>, Object> entries;
    private final Counter hits;
    private final Counter misses;
    private final Duration queryTimeout;

    public AnswerCache(EntityManager entityManager, MeterRegistry registry,
            @ConfigProperty(name = "leadforge.analytics.cache.max-entries", defaultValue = "2000") int maxEntries,
            @ConfigProperty(name = "leadforge.analytics.query-timeout", defaultValue = "10S") Duration queryTimeout) {
        this.entityManager = entityManager;
        this.queryTimeout = queryTimeout;
        this.entries = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<List<Object>, Object> eldest) {
                return size() > maxEntries;
            }
        };
        this.hits = registry.counter("leadforge_analytics_cache_requests_total", "outcome", "hit");
        this.misses = registry.counter("leadforge_analytics_cache_requests_total", "outcome", "miss");
    }

    /** The answer for {@code key} (which must name everything the answer depends on but the agency's events). */
    @Transactional(TxType.MANDATORY)
    public <T> T get(String agencyId, List<Object> key, Class<T> type, Supplier<T> compute) {
        // The table's identity too: a rebuild switches in a fresh analytics_version (another relation) whose versions
        // restart from the rebuild's clock and may repeat one an answer of the old read models was cached under.
        @SuppressWarnings("unchecked")
        List<Object[]> versions = entityManager.createNativeQuery(
                "select version, tableoid::bigint from analytics_version where agency_id = :agency")
                .setParameter("agency", agencyId).getResultList();
        if (versions.isEmpty()) {
            misses.increment();
            return computeWithinBudget(compute);
        }
        List<Object> fullKey = new java.util.ArrayList<>(key.size() + 3);
        fullKey.add(agencyId);
        fullKey.add(((Number) versions.get(0)[0]).longValue());
        fullKey.add(((Number) versions.get(0)[1]).longValue());
        fullKey.addAll(key);
        Object cached;
        synchronized (entries) {
            cached = entries.get(fullKey);
        }
        if (type.isInstance(cached)) {
            hits.increment();
            return type.cast(cached);
        }
        misses.increment();
        T answer = computeWithinBudget(compute);
        synchronized (entries) {
            entries.put(fullKey, answer);
        }
        return answer;
    }

    private <T> T computeWithinBudget(Supplier<T> compute) {
        entityManager.createNativeQuery("select set_config('statement_timeout', :millis, true)")
                .setParameter("millis", Long.toString(Math.max(1, queryTimeout.toMillis()))).getSingleResult();
        return compute.get();
    }
}
