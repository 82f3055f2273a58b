package com.leadforge.shared.inbox;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

/**
 * Makes a consumer idempotent: the first delivery of an event id records it in {@code processed_event} inside the
 * transaction that applies the event's effect, so the effect and the record commit together; a redelivery finds the
 * record and is skipped. Each service owns a {@code processed_event} table in its own database.
 */
@ApplicationScoped
public class InboxGuard {

    private final EntityManager entityManager;

    public InboxGuard(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /**
     * The ids among {@code eventIds} that {@code consumer} sees for the first time, recorded in one statement; ids
     * repeated in the list count once.
     */
    @Transactional(TxType.MANDATORY)
    @SuppressWarnings("unchecked")
    public Set<String> firstDeliveries(String consumer, Collection<String> eventIds) {
        if (eventIds.isEmpty()) {
            return Set.of();
        }
        List<String> inserted = entityManager.createNativeQuery("""
                insert into processed_event (consumer, event_id, processed_at)
                select :consumer, id, now() from unnest(:ids) as ids(id)
                on conflict (consumer, event_id) do nothing
                returning event_id""")
                .setParameter("consumer", consumer)
                .setParameter("ids", new LinkedHashSet<>(eventIds).toArray(String[]::new))
                .getResultList();
        return new HashSet<>(inserted);
    }

    /** Writes what the persistence context holds and forgets it: the next event starts from the database. */
    @Transactional(TxType.MANDATORY)
    public void settle() {
        entityManager.flush();
        entityManager.clear();
    }

    /** True the first time {@code consumer} sees {@code eventId}; false on every redelivery. */
    @Transactional(TxType.MANDATORY)
    public boolean firstDelivery(String consumer, String eventId) {
        int inserted = entityManager.createNativeQuery("""
                insert into processed_event (consumer, event_id, processed_at) values (:consumer, :eventId, now())
                on conflict (consumer, event_id) do nothing""")
                .setParameter("consumer", consumer)
                .setParameter("eventId", eventId)
                .executeUpdate();
        return inserted == 1;
    }
}
