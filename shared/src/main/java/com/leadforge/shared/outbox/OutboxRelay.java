package com.leadforge.shared.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.leadforge.shared.tracing.TraceContext;

import io.micrometer.core.instrument.Counter;
import io.opentelemetry.context.Scope;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

/**
 * Moves committed outbox rows to Kafka, right after the commit that wrote them (the writer wakes it) and on a slow poll
 * as a safety net. At-least-once: a crash after publishing but before marking re-publishes the row, and consumers
 * deduplicate on the CloudEvents id. Rows go out in outbox sequence order; a PostgreSQL advisory lock lets one replica
 * relay at a time, which keeps each aggregate's events in commit order. A row the broker refuses (too large, topic
 * missing) is retried with exponential backoff and parked after {@code leadforge.outbox.max-attempts}, without holding
 * back other aggregates; later rows of its own aggregate wait for it, so an aggregate's order is never broken. While
 * the broker itself is unreachable nothing counts against rows: the relay only backs off.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Arbitrary constant shared by every replica of a service: "the outbox relay lock". */
    private static final long RELAY_LOCK_KEY = 0x1eadf0e9L;

    private static final String DUE_ROWS = """
            select o.* from outbox_event o
            where o.published_at is null and o.parked_at is null
              and (o.next_attempt_at is null or o.next_attempt_at <= now())
              and not exists (select 1 from outbox_event e
                              where e.published_at is null and e.aggregate_type = o.aggregate_type
                                and e.aggregate_id = o.aggregate_id and e.seq < o.seq
                                and (e.parked_at is not null or e.next_attempt_at > now()))
            order by o.seq
            limit :batch""";

    /** How one round ended. */
    enum Round {
        IDLE, PUBLISHED_FULL_BATCH, PUBLISHED_SOME, LOCKED_ELSEWHERE, BROKER_UNAVAILABLE
    }

    private final EntityManager entityManager;
    private final OutboxPublisher publisher;
    private final OutboxSignal signal;
    private final int batchSize;
    private final int maxAttempts;
    private final Duration pollInterval;
    private final boolean enabled;
    private final Counter published;
    private final Counter failures;
    private final Counter parked;
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong oldestAgeSeconds = new AtomicLong();
    private final AtomicLong parkedRows = new AtomicLong();
    private volatile boolean running;
    private Thread loop;

    public OutboxRelay(EntityManager entityManager, OutboxPublisher publisher, OutboxSignal signal,
            MeterRegistry registry,
            @ConfigProperty(name = "leadforge.outbox.batch-size", defaultValue = "200") int batchSize,
            @ConfigProperty(name = "leadforge.outbox.max-attempts", defaultValue = "12") int maxAttempts,
            @ConfigProperty(name = "leadforge.outbox.poll-interval", defaultValue = "1s") Duration pollInterval,
            @ConfigProperty(name = "leadforge.outbox.relay-enabled", defaultValue = "true") boolean enabled) {
        this.entityManager = entityManager;
        this.publisher = publisher;
        this.signal = signal;
        this.batchSize = batchSize;
        this.maxAttempts = maxAttempts;
        this.pollInterval = pollInterval;
        this.enabled = enabled;
        this.published = registry.counter("leadforge.outbox.published");
        this.failures = registry.counter("leadforge.outbox.publish.failures");
        this.parked = registry.counter("leadforge.outbox.parkings");
        registry.gauge("leadforge.outbox.backlog", backlog);
        registry.gauge("leadforge.outbox.oldest.unpublished.age.seconds", oldestAgeSeconds);
        registry.gauge("leadforge.outbox.parked.rows", parkedRows);
    }

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            LOG.info("Outbox relay disabled (leadforge.outbox.relay-enabled=false)");
            return;
        }
        running = true;
        loop = new Thread(this::run, "outbox-relay");
        loop.setDaemon(true);
        loop.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        signal.wakeUp();
        if (loop != null) {
            try {
                loop.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        Duration backoff = Duration.ZERO;
        while (running) {
            try {
                if (!backoff.isZero()) {
                    signal.await(backoff.toMillis());
                } else {
                    signal.await(pollInterval.toMillis());
                }
                if (!running) {
                    return;
                }
                ManagedContext requestContext = Arc.container().requestContext();
                requestContext.activate();
                // Polling is not worth a trace: each row's send span names its own parent (OutboxPublisher).
                try (Scope untraced = TraceContext.untraced()) {
                    backoff = relayPending();
                } finally {
                    requestContext.terminate();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // The database is unreachable or the round failed midway: nothing was marked that was not published.
                LOG.warnf("Outbox relay round failed, retrying: %s", e.toString());
                backoff = Duration.ofSeconds(1);
            }
        }
    }

    /** Relays until nothing is due; answers how long to wait before the next round (zero: the normal poll). */
    Duration relayPending() throws InterruptedException {
        int lockedRounds = 0;
        int brokerFailures = 0;
        while (running) {
            Round round = relayBatch();
            switch (round) {
                case PUBLISHED_FULL_BATCH -> {
                    continue;
                }
                case LOCKED_ELSEWHERE -> {
                    // Another replica is mid-round; it may not have seen our rows. Try again shortly, for a while.
                    if (++lockedRounds > 50) {
                        return Duration.ZERO;
                    }
                    Thread.sleep(20);
                }
                case BROKER_UNAVAILABLE -> {
                    brokerFailures++;
                    return Duration.ofMillis(Math.min(2_000, 250L << Math.min(brokerFailures, 3)));
                }
                default -> {
                    return Duration.ZERO;
                }
            }
        }
        return Duration.ZERO;
    }

    /** Publishes one batch of due rows in sequence order. */
    public Round relayBatch() {
        return QuarkusTransaction.requiringNew().call(() -> {
            Boolean locked = (Boolean) entityManager.createNativeQuery("select pg_try_advisory_xact_lock(:key)")
                    .setParameter("key", RELAY_LOCK_KEY).getSingleResult();
            if (!Boolean.TRUE.equals(locked)) {
                return Round.LOCKED_ELSEWHERE;
            }
            @SuppressWarnings("unchecked")
            List<OutboxEvent> due = entityManager.createNativeQuery(DUE_ROWS, OutboxEvent.class)
                    .setParameter("batch", batchSize)
                    .getResultList();
            if (due.isEmpty()) {
                return Round.IDLE;
            }
            OutboxPublisher.Result result = publisher.publish(due);
            if (result.brokerUnavailable()) {
                failures.increment();
                LOG.warnf("Kafka is unreachable; %d outbox row(s) wait (nothing lost, nothing counted against them)",
                        due.size());
                return Round.BROKER_UNAVAILABLE;
            }
            Instant now = Instant.now();
            int publishedCount = 0;
            int skippedCount = 0;
            Set<String> failedAggregates = new HashSet<>();
            for (int i = 0; i < due.size(); i++) {
                OutboxEvent row = due.get(i);
                if (result.skipped(i)) {
                    // An earlier row of its aggregate was refused: it waits behind it, untouched.
                    skippedCount++;
                    continue;
                }
                row.attempts++;
                if (result.published(i)) {
                    row.publishedAt = now;
                    row.lastError = null;
                    row.nextAttemptAt = null;
                    publishedCount++;
                    if (failedAggregates.contains(row.aggregateType + '/' + row.aggregateId)) {
                        // Only a transient broker error on an earlier row can cause this; consumers keep versions.
                        LOG.warnf("Outbox row %s (%s) was published after an earlier row of its aggregate failed",
                                row.id, row.eventType);
                    }
                } else {
                    failedAggregates.add(row.aggregateType + '/' + row.aggregateId);
                    markFailed(row, result.failures().get(i), now);
                }
            }
            published.increment(publishedCount);
            return due.size() == batchSize && publishedCount + skippedCount == due.size()
                    ? Round.PUBLISHED_FULL_BATCH : Round.PUBLISHED_SOME;
        });
    }

    private void markFailed(OutboxEvent row, Throwable failure, Instant now) {
        failures.increment();
        row.lastError = abbreviate(String.valueOf(failure));
        if (row.attempts >= maxAttempts) {
            row.parkedAt = now;
            parked.increment();
            LOG.errorf("Outbox row %s (%s of %s %s) PARKED after %d attempts; later events of this aggregate wait for "
                    + "it. Last error: %s. Fix the cause, then set parked_at = null on the row to retry it.", row.id,
                    row.eventType, row.aggregateType, row.aggregateId, row.attempts, row.lastError);
            return;
        }
        long delaySeconds = Math.min(300, 1L << Math.min(row.attempts - 1, 9));
        row.nextAttemptAt = now.plusSeconds(delaySeconds);
        LOG.warnf("Outbox row %s (%s) not published (attempt %d, next in %d s): %s", row.id, row.eventType,
                row.attempts, delaySeconds, row.lastError);
    }

    /** Backlog figures for the gauges, refreshed off the publishing path. */
    @Scheduled(every = "${leadforge.outbox.metrics-interval:15s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refreshGauges() {
        if (!enabled) {
            return;
        }
        try (Scope untraced = TraceContext.untraced()) {
            QuarkusTransaction.requiringNew().run(() -> {
                Object[] row = (Object[]) entityManager.createNativeQuery("""
                        select count(*) filter (where parked_at is null),
                               coalesce(extract(epoch from now() - min(created_at) filter (where parked_at is null)), 0),
                               count(*) filter (where parked_at is not null)
                        from outbox_event where published_at is null""").getSingleResult();
                backlog.set(((Number) row[0]).longValue());
                oldestAgeSeconds.set(((Number) row[1]).longValue());
                parkedRows.set(((Number) row[2]).longValue());
            });
        } catch (RuntimeException e) {
            LOG.debugf("Outbox gauges not refreshed: %s", e.getMessage());
        }
    }

    private static String abbreviate(String message) {
        return message.length() <= 1000 ? message : message.substring(0, 1000);
    }
}
