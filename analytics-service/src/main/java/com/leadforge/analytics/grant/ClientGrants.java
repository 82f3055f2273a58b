package com.leadforge.analytics.grant;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

/**
 * Which client users each campaign is shared with, from campaign-service's {@code client_granted} /
 * {@code client_revoked} events, in one table ({@code client_campaign_grant}). Per campaign and user the change with
 * the highest {@code version} wins and revokes stay as {@code granted = false}, so a grant and its revoke give the same
 * answer in either arrival order, a duplicate changes nothing, and an older grant arriving late cannot revive one.
 *
 * <p>The overview projection writes it; client analytics are scoped by it, and the live-updates handler reads it for who
 * a campaign's status notification goes to. That handler applies each poll after the projection has applied the same
 * poll ({@code EventConsumers}), so it sees every grant up to its own event — and any later one of the same poll: a
 * client revoked within milliseconds of a status change is not told of it, one granted just after is. Queries run
 * under the unit of work's agency (row-level security) and name it too.
 */
@ApplicationScoped
public class ClientGrants {

    private final EntityManager entityManager;

    public ClientGrants(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    @Transactional(TxType.MANDATORY)
    public void apply(String agencyId, UUID campaignId, String userId, boolean granted, long version) {
        entityManager.createNativeQuery("""
                insert into client_campaign_grant (campaign_id, user_id, agency_id, granted, version)
                values (:campaign, :user, :agency, :granted, :version)
                on conflict (campaign_id, user_id) do update set granted = excluded.granted, version = excluded.version
                    where client_campaign_grant.version < excluded.version""")
                .setParameter("campaign", campaignId)
                .setParameter("user", userId)
                .setParameter("agency", agencyId)
                .setParameter("granted", granted)
                .setParameter("version", version)
                .executeUpdate();
    }

    /** The client users {@code campaignId} is shared with now, in a stable order. */
    @SuppressWarnings("unchecked")
    @Transactional(TxType.MANDATORY)
    public List<String> clientsOf(String agencyId, UUID campaignId) {
        return entityManager.createNativeQuery("""
                select user_id from client_campaign_grant
                where agency_id = :agency and campaign_id = :campaign and granted order by user_id""")
                .setParameter("agency", agencyId)
                .setParameter("campaign", campaignId)
                .getResultList();
    }

}
