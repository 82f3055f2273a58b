package com.leadforge.shared.outbox;

import java.time.Duration;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.leadforge.shared.tracing.TraceContext;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Scope;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * Keeps the outbox and the inbox from growing forever: published outbox rows older than
 * {@code leadforge.outbox.retention} (default 7 days) and processed-event ids older than
 * {@code leadforge.inbox.retention} (default 30 days) are deleted, in short transactions of bounded batches so that a
 * large backlog never holds locks for long. The inbox retention must exceed the topics' retention (Kafka's default is
 * 7 days): an event redelivered after its id was purged would be applied again (projections that keep versions, like
 * the lead snapshots, still ignore it). Unpublished and parked outbox rows are never purged.
 */
@ApplicationScoped
public class RetentionPurge {

    private static final Logger LOG = Logger.getLogger(RetentionPurge.class);

    private final EntityManager entityManager;
    private final Duration outboxRetention;
    private final Duration inboxRetention;
    private final int batchSize;
    private final int maxBatchesPerRun;
    private final Counter purgedOutbox;
    private final Counter purgedInbox;

    public RetentionPurge(EntityManager entityManager, MeterRegistry registry,
            @ConfigProperty(name = "leadforge.outbox.retention", defaultValue = "P7D") Duration outboxRetention,
            @ConfigProperty(name = "leadforge.inbox.retention", defaultValue = "P30D") Duration inboxRetention,
            @ConfigProperty(name = "leadforge.purge.batch-size", defaultValue = "5000") int batchSize,
            @ConfigProperty(name = "leadforge.purge.max-batches-per-run", defaultValue = "100") int maxBatchesPerRun) {
        this.entityManager = entityManager;
        this.outboxRetention = outboxRetention;
        this.inboxRetention = inboxRetention;
        this.batchSize = batchSize;
        this.maxBatchesPerRun = maxBatchesPerRun;
        this.purgedOutbox = registry.counter("leadforge.outbox.purged");
        this.purgedInbox = registry.counter("leadforge.inbox.purged");
    }

    @Scheduled(every = "${leadforge.purge.interval:10m}", delayed = "${leadforge.purge.initial-delay:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        // Housekeeping: its statements are not worth a root trace each.
        try (Scope untraced = TraceContext.untraced()) {
            int outbox = purgeOutbox();
            int inbox = purgeInbox();
            if (outbox + inbox > 0) {
                LOG.infof("Purged %d published outbox row(s) and %d processed-event id(s)", outbox, inbox);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Retention purge failed, retried next run: %s", e.getMessage());
        }
    }

    /** Deletes published outbox rows past retention; returns how many. */
    public int purgeOutbox() {
        return inBatches("""
                delete from outbox_event where id in (
                    select id from outbox_event
                    where published_at is not null and published_at < now() - make_interval(secs => :seconds)
                    limit :batch)""", outboxRetention, purgedOutbox);
    }

    /** Deletes processed-event ids past retention; returns how many. */
    public int purgeInbox() {
        return inBatches("""
                delete from processed_event where (consumer, event_id) in (
                    select consumer, event_id from processed_event
                    where processed_at < now() - make_interval(secs => :seconds)
                    limit :batch)""", inboxRetention, purgedInbox);
    }

    private int inBatches(String sql, Duration retention, Counter counter) {
        int total = 0;
        for (int batch = 0; batch < maxBatchesPerRun; batch++) {
            int deleted = QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery(sql)
                    .setParameter("seconds", (double) retention.toSeconds())
                    .setParameter("batch", batchSize)
                    .executeUpdate());
            total += deleted;
            counter.increment(deleted);
            if (deleted < batchSize) {
                break;
            }
        }
        return total;
    }
}
