package com.leadforge.shared.outbox;

import java.time.Instant;
import java.util.UUID;

import org.hibernate.annotations.ColumnTransformer;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * An event waiting to be published, written in the same transaction as the state change it describes. Not
 * tenant-scoped on purpose: the relay publishes every agency's events and each row names its agency.
 * Each service owns an {@code outbox_event} table in its own database (see its Flyway migrations).
 */
@Entity
@Table(name = "outbox_event")
public class OutboxEvent extends PanacheEntityBase {

    /**
     * Position in the outbox, from a database sequence (never the application clock): the relay publishes in this order,
     * and an aggregate's events were written in this order because writes to one aggregate serialise on its row lock.
     */
    @Column(insertable = false, updatable = false)
    public Long seq;

    /** Also the CloudEvents {@code id}: consumers deduplicate on it. */
    @Id
    public UUID id;

    @Column(name = "agency_id", nullable = false, updatable = false)
    public String agencyId;

    @Column(name = "aggregate_type", nullable = false, updatable = false)
    public String aggregateType;

    @Column(name = "aggregate_id", nullable = false, updatable = false)
    public String aggregateId;

    @Column(name = "event_type", nullable = false, updatable = false)
    public String eventType;

    @Column(nullable = false, updatable = false)
    public String topic;

    @Column(nullable = false, updatable = false)
    public String actor;

    /** Already-serialised event data (the service's snake_case JSON), stored as jsonb without re-encoding. */
    @ColumnTransformer(write = "?::jsonb")
    @Column(nullable = false, updatable = false, columnDefinition = "jsonb")
    public String payload;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    /**
     * W3C trace context of the transaction that wrote the event (null without one): the relay's publish span is its
     * child and the record carries the continuation, so a trace runs from the request into every consumer.
     */
    @Column(updatable = false)
    public String traceparent;

    @Column(updatable = false)
    public String tracestate;

    @Column(name = "published_at")
    public Instant publishedAt;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "last_error")
    public String lastError;

    /** After a failed publication: not before this time (exponential backoff). */
    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    /** Set when the row failed too often to keep retrying on its own: an operator looks at it (metric and log). */
    @Column(name = "parked_at")
    public Instant parkedAt;
}
