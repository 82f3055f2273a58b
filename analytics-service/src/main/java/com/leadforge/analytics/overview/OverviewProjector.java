package com.leadforge.analytics.overview;

import java.time.ZoneOffset;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.logging.Logger;

import com.leadforge.shared.events.EventType;
import com.leadforge.shared.events.LeadCreatedEvent;
import com.leadforge.shared.inbox.InboxGuard;
import com.leadforge.shared.inbox.IncomingEvent;
import com.leadforge.shared.inbox.PoisonEventException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Applies events to the overview read model. Each event is applied at most once: the inbox row and the counter
 * change commit in one transaction. Counters are updated with single upserts so concurrent partitions of the same
 * agency never lose an increment.
 */
@ApplicationScoped
public class OverviewProjector {

    static final String CONSUMER = "analytics.overview";
    private static final Logger LOG = Logger.getLogger(OverviewProjector.class);

    private final EntityManager entityManager;
    private final InboxGuard inbox;

    public OverviewProjector(EntityManager entityManager, InboxGuard inbox) {
        this.entityManager = entityManager;
        this.inbox = inbox;
    }

    /** Transient failures (database unavailable, lock timeouts) are retried; poison goes to the dead-letter topic. */
    @Retry(maxRetries = 5, delay = 200, jitter = 100, abortOn = PoisonEventException.class)
    @Transactional
    public void apply(IncomingEvent event) {
        if (!inbox.firstDelivery(CONSUMER, event.id())) {
            LOG.debugf("Event %s already applied", event.id());
            return;
        }
        EventType type = EventType.fromType(event.type()).orElse(null);
        if (type == null) {
            // A newer producer's event type: nothing to count yet, and not an error.
            return;
        }
        switch (type) {
            case LEAD_CREATED -> {
                LeadCreatedEvent lead = event.data(LeadCreatedEvent.class);
                increment(event.agencyId(), "leads_total");
                entityManager.createNativeQuery("""
                        insert into agency_daily_leads (agency_id, day, created) values (:agency, :day, 1)
                        on conflict (agency_id, day) do update set created = agency_daily_leads.created + 1""")
                        .setParameter("agency", event.agencyId())
                        .setParameter("day", (lead.createdAt() == null ? java.time.Instant.now() : lead.createdAt())
                                .atOffset(ZoneOffset.UTC).toLocalDate())
                        .executeUpdate();
            }
            case CAMPAIGN_CREATED -> increment(event.agencyId(), "campaigns_total");
            case DATA_SOURCE_CREATED -> increment(event.agencyId(), "data_sources_total");
        }
    }

    private void increment(String agencyId, String column) {
        // column is one of three constants above, never input.
        entityManager.createNativeQuery("""
                insert into agency_overview (agency_id, %1$s, updated_at) values (:agency, 1, now())
                on conflict (agency_id) do update set %1$s = agency_overview.%1$s + 1, updated_at = now()"""
                .formatted(column))
                .setParameter("agency", agencyId)
                .executeUpdate();
    }
}
