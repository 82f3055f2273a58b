package com.leadforge.analytics.live;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * Which client users each campaign is shared with, from campaign-service's grant events: the newest change per campaign
 * and user wins by {@code version}, so a grant and its revoke give the same answer in either arrival order and a
 * duplicate changes nothing. Queries run under the unit of work's agency (row-level security) and name it too.
 */
@ApplicationScoped
public class ClientGrants {

    private final EntityManager entityManager;

    public ClientGrants(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    public void apply(String agencyId, UUID campaignId, String userId, boolean granted, long version, Instant at) {
        entityManager.createNativeQuery("""
                insert into campaign_client_grant (campaign_id, user_id, agency_id, granted, version, changed_at)
                values (:campaign, :user, :agency, :granted, :version, :at)
                on conflict (campaign_id, user_id) do update
                    set granted = excluded.granted, version = excluded.version, changed_at = excluded.changed_at
                    where campaign_client_grant.version < excluded.version""")
                .setParameter("campaign", campaignId)
                .setParameter("user", userId)
                .setParameter("agency", agencyId)
                .setParameter("granted", granted)
                .setParameter("version", version)
                .setParameter("at", at)
                .executeUpdate();
    }

    /** The client users {@code campaignId} is shared with now, in a stable order. */
    @SuppressWarnings("unchecked")
    public List<String> clientsOf(String agencyId, UUID campaignId) {
        return entityManager.createNativeQuery("""
                select user_id from campaign_client_grant
                where agency_id = :agency and campaign_id = :campaign and granted order by user_id""")
                .setParameter("agency", agencyId)
                .setParameter("campaign", campaignId)
                .getResultList();
    }

}
