package com.leadforge.analytics.rebuild;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.hibernate.Session;

import com.leadforge.shared.inbox.EventHandler;
import com.leadforge.shared.inbox.InboxGuard;
import com.leadforge.shared.inbox.IncomingEvent;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

/**
 * Runs a projector's unchanged code against the fresh set of a rebuild: inside the caller's transaction, with
 * {@code search_path} pointing at {@value ReadModelSet#FRESH} first (unqualified read-model and inbox tables resolve
 * there, everything else still to {@code public}) and the fresh set's own inbox deciding which events it has not
 * applied yet — whether the replay or the live consumer delivers them first, each applies once.
 */
@ApplicationScoped
public class FreshSet {

    private static final String FRESH_PATH = ReadModelSet.FRESH + ", " + ReadModelSet.LIVE;

    private final EntityManager entityManager;
    private final InboxGuard inbox;

    public FreshSet(EntityManager entityManager, InboxGuard inbox) {
        this.entityManager = entityManager;
        this.inbox = inbox;
    }

    /** Whether a rebuild is building, read in the caller's transaction. */
    @Transactional(TxType.MANDATORY)
    public boolean building() {
        entityManager.flush();
        return entityManager.unwrap(Session.class).doReturningWork(RebuildStore::building);
    }

    /**
     * Applies the events of one agency that the fresh set has not applied yet, in order, through {@code handler};
     * returns how many it applied. The persistence context is flushed and cleared on both sides of the switch so that
     * no entity read from one set is written to the other.
     */
    @Transactional(TxType.MANDATORY)
    public int apply(EventHandler handler, List<IncomingEvent> events) {
        entityManager.flush();
        entityManager.clear();
        String previous = (String) entityManager.createNativeQuery("select current_setting('search_path')")
                .getSingleResult();
        // Local to the transaction: a failure rolls it back to the previous path along with everything else.
        searchPath(FRESH_PATH);
        Set<String> fresh = inbox.firstDeliveries(handler.consumerName(),
                events.stream().map(IncomingEvent::id).toList());
        List<IncomingEvent> toApply = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (IncomingEvent event : events) {
            if (fresh.contains(event.id()) && taken.add(event.id())) {
                toApply.add(event);
            }
        }
        if (!toApply.isEmpty()) {
            handler.applyAll(toApply, inbox::settle);
        }
        entityManager.flush();
        entityManager.clear();
        searchPath(previous);
        return toApply.size();
    }

    private void searchPath(String path) {
        entityManager.createNativeQuery("select set_config('search_path', :path, true)").setParameter("path", path)
                .getSingleResult();
    }
}
