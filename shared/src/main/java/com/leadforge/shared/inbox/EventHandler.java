package com.leadforge.shared.inbox;

import java.util.List;
import java.util.Set;

/**
 * One idempotent consumer of events: a CDI bean per consumer that {@link ReliableConsumer} runs for every record of its
 * topics, and that the dead-letter re-drive runs again for records it dead-lettered earlier.
 */
public interface EventHandler {

    /** Stable name: the key of its inbox rows and of its dead-lettered records. Never rename a deployed one. */
    String consumerName();

    /** The topics it consumes (their dead-letter topics are {@code <topic>.dlq}). */
    Set<String> topics();

    /**
     * Applies the event's effect. Runs inside a transaction that also records the event in the inbox, with the event's
     * agency as the tenant, and only on the first delivery of the event id. Throws {@link PoisonEventException} for a
     * record that can never be applied; any other failure is retried.
     */
    void apply(IncomingEvent event);

    /**
     * Applies several first deliveries of one agency, in their order, inside one transaction (see
     * {@link ReliableConsumer#consumeBatch}). The default applies them one by one, with the persistence context flushed
     * and cleared between them so that each sees the database as a transaction of its own would. A handler may
     * override it to apply them as a set, provided the effect equals applying them one by one in order. Any exception
     * rolls the whole set back; the consumer then applies the events one transaction each, so poison is isolated.
     */
    default void applyAll(List<IncomingEvent> events, Runnable settle) {
        for (IncomingEvent event : events) {
            apply(event);
            settle.run();
        }
    }

    /**
     * Whether {@link #apply} has anything to do for events of this CloudEvents type. Events it does not handle are
     * acknowledged without a transaction or an inbox row: a consumer that needs one type of a busy topic (import
     * results among every lead event) must not pay a database round trip for each of the others.
     */
    default boolean handles(String type) {
        return true;
    }
}
