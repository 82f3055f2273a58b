package com.leadforge.shared.outbox;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * Moves committed outbox rows to Kafka. At-least-once: a crash after publishing but before marking re-publishes the
 * row, and consumers deduplicate on the CloudEvents id. A PostgreSQL advisory lock lets exactly one replica relay at
 * a time, which keeps each aggregate's events in commit order.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Arbitrary constant shared by every replica of a service: "the outbox relay lock". */
    private static final long RELAY_LOCK_KEY = 0x1eadf0e9L;

    private final EntityManager entityManager;
    private final OutboxPublisher publisher;
    private final int batchSize;
    private final Counter published;
    private final Counter failures;

    public OutboxRelay(EntityManager entityManager, OutboxPublisher publisher, MeterRegistry registry,
            @ConfigProperty(name = "leadforge.outbox.batch-size", defaultValue = "200") int batchSize) {
        this.entityManager = entityManager;
        this.publisher = publisher;
        this.batchSize = batchSize;
        this.published = registry.counter("leadforge.outbox.published");
        this.failures = registry.counter("leadforge.outbox.publish.failures");
    }

    @Scheduled(every = "${leadforge.outbox.poll-interval:0.5s}", delayed = "${leadforge.outbox.initial-delay:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = OutboxRelayDisabled.class)
    void relayPending() {
        int relayed;
        do {
            relayed = relayBatch();
        } while (relayed == batchSize);
    }

    /** Publishes one batch in commit order; returns how many rows were published. */
    public int relayBatch() {
        return QuarkusTransaction.requiringNew().call(() -> {
            Boolean locked = (Boolean) entityManager.createNativeQuery("select pg_try_advisory_xact_lock(:key)")
                    .setParameter("key", RELAY_LOCK_KEY).getSingleResult();
            if (!Boolean.TRUE.equals(locked)) {
                return 0;
            }
            List<OutboxEvent> pending = entityManager.createQuery(
                    "from OutboxEvent where publishedAt is null order by createdAt, id", OutboxEvent.class)
                    .setMaxResults(batchSize)
                    .getResultList();
            if (pending.isEmpty()) {
                return 0;
            }
            OutboxPublisher.Result result;
            try {
                result = publisher.publish(pending);
            } catch (RuntimeException e) {
                // Timeout or open circuit: nothing is marked, every row is retried on the next tick.
                result = new OutboxPublisher.Result(0, e);
            }
            Instant now = Instant.now();
            for (int i = 0; i < result.publishedCount(); i++) {
                pending.get(i).publishedAt = now;
                pending.get(i).attempts++;
            }
            if (result.failure() != null) {
                OutboxEvent stuck = pending.get(result.publishedCount());
                stuck.attempts++;
                stuck.lastError = abbreviate(String.valueOf(result.failure()));
                failures.increment();
                LOG.warnf("Outbox relay stopped at event %s (%s): %s", stuck.id, stuck.eventType, stuck.lastError);
            }
            published.increment(result.publishedCount());
            return result.failure() == null ? result.publishedCount() : 0;
        });
    }

    private static String abbreviate(String message) {
        return message.length() <= 1000 ? message : message.substring(0, 1000);
    }
}
