package com.leadforge.analytics.report;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.leadforge.shared.problem.ProblemException;
import com.leadforge.shared.tenancy.CallerScope;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

/**
 * What of the agency the caller's analytics cover. Everyone but a client covers the whole agency; a client (only that
 * role) covers the campaigns granted to its token subject, as campaign-service and lead-service scope it: analytics
 * learns the grants from the same campaign events (client_granted / client_revoked, newest version wins).
 */
@ApplicationScoped
public class AnalyticsScope {

    /** A campaign as the answers show it. */
    public record Campaign(UUID id, String name, String status, Instant createdAt) {
    }

    /** Bounds a client's grant list: a client shared more campaigns than this sees the first ones by id. */
    static final int MAX_GRANTS = 1000;

    private final EntityManager entityManager;
    private final CallerScope callerScope;

    public AnalyticsScope(EntityManager entityManager, CallerScope callerScope) {
        this.entityManager = entityManager;
        this.callerScope = callerScope;
    }

    /** What a cached answer's key must hold of the caller: the client's subject, or "" for the whole agency. */
    public String cacheKey() {
        return callerScope.grantedSubjectOnly().orElse("");
    }

    /** The campaigns a client-only caller may read, or empty for a caller that reads the whole agency. */
    @Transactional(TxType.MANDATORY)
    public Optional<List<UUID>> grantedCampaigns() {
        return callerScope.grantedSubjectOnly().map(subject -> {
            @SuppressWarnings("unchecked")
            List<UUID> ids = entityManager.createNativeQuery("""
                    select campaign_id from client_campaign_grant where user_id = :user and granted
                    order by campaign_id limit :max""", UUID.class)
                    .setParameter("user", subject)
                    .setParameter("max", MAX_GRANTS)
                    .getResultList();
            return List.copyOf(ids);
        });
    }

    /** The bucket scope of the caller, optionally one campaign (which must be readable). */
    @Transactional(TxType.MANDATORY)
    public ActivityReader.Scope scope(UUID campaignId) {
        if (campaignId != null) {
            campaign(campaignId);
            return new ActivityReader.Scope(campaignId, null);
        }
        return grantedCampaigns().map(ids -> new ActivityReader.Scope(null, ids)).orElse(ActivityReader.Scope.AGENCY);
    }

    /**
     * The campaign, or 404 when the caller's agency has no such (live) campaign or a client was not granted it: the
     * lookup runs through the tenant filter, so another agency's id is not found like an unknown one.
     */
    @Transactional(TxType.MANDATORY)
    public Campaign campaign(UUID id) {
        CampaignRecord record = id == null ? null : CampaignRecord.<CampaignRecord>findByIdOptional(id)
                .filter(c -> !c.deleted).orElse(null);
        if (record == null || grantedCampaigns().map(ids -> !ids.contains(id)).orElse(false)) {
            throw ProblemException.notFound("Campaign", id);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> profile = entityManager.createNativeQuery("""
                select name, created_at from campaign_profile where campaign_id = :id and agency_id = :agency""")
                .setParameter("id", id)
                .setParameter("agency", record.agencyId)
                .getResultList();
        String name = profile.isEmpty() ? null : (String) profile.get(0)[0];
        Instant createdAt = profile.isEmpty() || profile.get(0)[1] == null ? null
                : com.leadforge.analytics.overview.CampaignStateProjection.toInstant(profile.get(0)[1]);
        return new Campaign(id, name, record.status, createdAt);
    }
}
