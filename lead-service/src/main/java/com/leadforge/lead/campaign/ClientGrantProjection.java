package com.leadforge.lead.campaign;

import java.time.Instant;
import java.util.UUID;

import com.leadforge.shared.events.CampaignClientGrantedEvent;
import com.leadforge.shared.events.CampaignClientRevokedEvent;
import com.leadforge.shared.inbox.IncomingEvent;
import com.leadforge.shared.inbox.PoisonEventException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * Keeps {@link ClientCampaignGrant} from {@code campaign.client_granted} / {@code client_revoked}: per agency, client
 * and campaign, the change with the highest version wins, whichever order the events arrive in, and a duplicate (same
 * version) changes nothing. That is what makes a client's lead reads follow campaign-service's grants exactly, without
 * calling it. Runs inside the consumer's transaction (inbox row and effect commit together).
 */
@ApplicationScoped
public class ClientGrantProjection {

    private final EntityManager entityManager;

    public ClientGrantProjection(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    public void granted(IncomingEvent event) {
        CampaignClientGrantedEvent granted = event.data(CampaignClientGrantedEvent.class);
        apply(event, granted.agencyId(), granted.campaignId(), granted.userId(), granted.version(),
                granted.occurredAt(), true);
    }

    public void revoked(IncomingEvent event) {
        CampaignClientRevokedEvent revoked = event.data(CampaignClientRevokedEvent.class);
        apply(event, revoked.agencyId(), revoked.campaignId(), revoked.userId(), revoked.version(),
                revoked.occurredAt(), false);
    }

    private void apply(IncomingEvent event, String agencyId, UUID campaignId, String userId, Long version,
            Instant occurredAt, boolean granted) {
        if (campaignId == null || userId == null || userId.isBlank() || version == null || occurredAt == null) {
            throw new PoisonEventException("Grant event " + event.id() + " lacks campaign, user, version or time");
        }
        if (agencyId == null || !agencyId.equalsIgnoreCase(event.agencyId())) {
            // The tenant comes from ce_agencyid only; data naming another agency is a broken producer, never applied.
            throw new PoisonEventException("Grant event " + event.id() + " names another agency than ce_agencyid");
        }
        entityManager.createNativeQuery("""
                insert into client_campaign_grant (agency_id, user_id, campaign_id, granted, version, changed_at)
                values (:agency, :user, :campaign, :granted, :version, :changedAt)
                on conflict (agency_id, user_id, campaign_id) do update set granted = excluded.granted,
                    version = excluded.version, changed_at = excluded.changed_at
                where client_campaign_grant.version < excluded.version""")
                .setParameter("agency", event.agencyId())
                .setParameter("user", userId)
                .setParameter("campaign", campaignId)
                .setParameter("granted", granted)
                .setParameter("version", version)
                .setParameter("changedAt", occurredAt)
                .executeUpdate();
    }
}
