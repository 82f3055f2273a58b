package com.leadforge.lead.campaign;

import java.time.Instant;
import java.util.UUID;

import java.util.Set;

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
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Applies campaign events to {@link CampaignReplica}, newest state winning (the shared consumer applies each event
 * once), and tells requests waiting for a campaign it has just committed; grant events go to
 * {@link ClientGrantProjection}, which scopes what a client may read.
 */
@ApplicationScoped
public class CampaignReplicaProjector implements EventHandler {

    static final String CONSUMER = "lead.campaign-replica";

    private final EntityManager entityManager;
    private final TransactionSynchronizationRegistry transactions;
    private final CampaignArrivals arrivals;
    private final ClientGrantProjection grants;

    public CampaignReplicaProjector(EntityManager entityManager, TransactionSynchronizationRegistry transactions,
            CampaignArrivals arrivals, ClientGrantProjection grants) {
        this.entityManager = entityManager;
        this.transactions = transactions;
        this.arrivals = arrivals;
        this.grants = grants;
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
    public void apply(IncomingEvent event) {
        EventType type = EventType.fromType(event.type()).orElse(null);
        if (type == null) {
            return;
        }
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
            case CAMPAIGN_CLIENT_GRANTED -> grants.granted(event);
            case CAMPAIGN_CLIENT_REVOKED -> grants.revoked(event);
            default -> {
                // Other campaign events do not change what lead-service needs to know.
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
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    arrivals.arrived(campaignId);
                }
            }
        });
    }
}
