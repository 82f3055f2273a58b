package com.leadforge.scraping.campaign;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import com.leadforge.shared.events.CampaignCreatedEvent;
import com.leadforge.shared.events.CampaignDeletedEvent;
import com.leadforge.shared.events.CampaignStatusChangedEvent;
import com.leadforge.shared.events.EventType;
import com.leadforge.shared.events.Topics;
import com.leadforge.shared.inbox.EventHandler;
import com.leadforge.shared.inbox.IncomingEvent;
import com.leadforge.shared.inbox.PoisonEventException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/** Applies campaign events to {@link CampaignReplica}, the newest state winning (each event is applied once). */
@ApplicationScoped
public class CampaignReplicaProjector implements EventHandler {

    static final String CONSUMER = "scraping.campaign-replica";
    private static final Set<String> TYPES = Set.of(EventType.CAMPAIGN_CREATED.type(),
            EventType.CAMPAIGN_STATUS_CHANGED.type(), EventType.CAMPAIGN_DELETED.type());

    private final EntityManager entityManager;

    public CampaignReplicaProjector(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    @Override
    public String consumerName() {
        return CONSUMER;
    }

    @Override
    public Set<String> topics() {
        return Set.of(Topics.CAMPAIGN_EVENTS);
    }

    @Override
    public boolean handles(String type) {
        return TYPES.contains(type);
    }

    @Override
    public void apply(IncomingEvent event) {
        EventType type = EventType.fromType(event.type()).orElseThrow();
        switch (type) {
            case CAMPAIGN_CREATED -> {
                CampaignCreatedEvent created = event.data(CampaignCreatedEvent.class);
                upsert(event, created.campaignId(), created.status(), false, created.createdAt());
            }
            case CAMPAIGN_STATUS_CHANGED -> {
                CampaignStatusChangedEvent changed = event.data(CampaignStatusChangedEvent.class);
                upsert(event, changed.campaignId(), changed.newStatus(), false, changed.occurredAt());
            }
            case CAMPAIGN_DELETED -> {
                CampaignDeletedEvent deleted = event.data(CampaignDeletedEvent.class);
                upsert(event, deleted.campaignId(), deleted.status(), true, deleted.occurredAt());
            }
            default -> {
                // handles() admits only the three above.
            }
        }
    }

    private void upsert(IncomingEvent event, UUID campaignId, String status, boolean deleted, Instant changedAt) {
        if (campaignId == null || status == null || changedAt == null) {
            throw new PoisonEventException("Campaign event " + event.id() + " lacks id, status or time");
        }
        entityManager.createNativeQuery("""
                insert into campaign_replica (id, agency_id, status, deleted, changed_at)
                values (:id, :agency, :status, :deleted, :changedAt)
                on conflict (id) do update set status = excluded.status, deleted = excluded.deleted,
                    changed_at = excluded.changed_at
                where campaign_replica.changed_at <= excluded.changed_at""")
                .setParameter("id", campaignId)
                .setParameter("agency", event.agencyId())
                .setParameter("status", status)
                .setParameter("deleted", deleted)
                .setParameter("changedAt", changedAt)
                .executeUpdate();
    }
}
