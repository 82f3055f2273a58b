package com.leadforge.campaign.access;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.leadforge.shared.events.CampaignClientGrantedEvent;
import com.leadforge.shared.events.CampaignClientRevokedEvent;
import com.leadforge.shared.events.EventType;
import com.leadforge.shared.outbox.OutboxWriter;
import com.leadforge.shared.tenancy.TenantContext;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

/**
 * Announces grant changes through the outbox, in the transaction of the change: other services (lead-service scopes a
 * client's lead reads with them) learn who may read a campaign from these events only. Callers hold the campaign's row
 * lock, so the {@code version} each event takes from {@code campaign_client_grant_version_seq} increases in commit
 * order within the campaign, and a consumer keeps the newest change whatever order the events arrive in.
 */
@ApplicationScoped
public class GrantEvents {

    private final OutboxWriter outbox;
    private final TenantContext tenant;
    private final EntityManager entityManager;

    public GrantEvents(OutboxWriter outbox, TenantContext tenant, EntityManager entityManager) {
        this.outbox = outbox;
        this.tenant = tenant;
        this.entityManager = entityManager;
    }

    @Transactional(TxType.MANDATORY)
    public void granted(CampaignClientGrant grant) {
        String agencyId = tenant.requireAgencyId();
        outbox.append(EventType.CAMPAIGN_CLIENT_GRANTED, agencyId, grant.id.campaignId(), tenant.actor(),
                new CampaignClientGrantedEvent(grant.id.campaignId(), agencyId, grant.id.userId(), nextVersion(),
                        tenant.actor(), grant.grantedAt));
    }

    @Transactional(TxType.MANDATORY)
    public void revoked(UUID campaignId, String userId, String reason, Instant at) {
        String agencyId = tenant.requireAgencyId();
        outbox.append(EventType.CAMPAIGN_CLIENT_REVOKED, agencyId, campaignId, tenant.actor(),
                new CampaignClientRevokedEvent(campaignId, agencyId, userId, nextVersion(), reason, tenant.actor(), at));
    }

    /**
     * Deleting a campaign drops its grants (the foreign key cascades): each one is announced as revoked, before the
     * campaign's own {@code campaign.deleted}, so that no consumer keeps a grant to a campaign that no longer exists.
     */
    @Transactional(TxType.MANDATORY)
    public void campaignDeleted(UUID campaignId, Instant at) {
        List<String> users = entityManager.createQuery(
                "select g.id.userId from CampaignClientGrant g where g.id.campaignId = :campaign order by g.id.userId",
                String.class).setParameter("campaign", campaignId).getResultList();
        for (String userId : users) {
            revoked(campaignId, userId, CampaignClientRevokedEvent.CAMPAIGN_DELETED, at);
        }
    }

    private long nextVersion() {
        return ((Number) entityManager.createNativeQuery("select nextval('campaign_client_grant_version_seq')")
                .getSingleResult()).longValue();
    }
}
