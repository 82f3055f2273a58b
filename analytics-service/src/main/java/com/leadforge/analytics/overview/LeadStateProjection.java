package com.leadforge.analytics.overview;

import java.util.List;

import com.leadforge.shared.events.LeadSnapshot;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

/**
 * Keeps {@code lead_state} and the agency's lead counters in step: a snapshot newer than the stored state replaces
 * it, and each counter moves by the difference between what the old and the new state contributed.
 */
@ApplicationScoped
public class LeadStateProjection {

    /** What one lead contributes to the agency's counters. */
    record Contribution(long total, long qualified, long contacted, long responded, long converted) {

        static final Contribution NONE = new Contribution(0, 0, 0, 0, 0);

        static Contribution of(boolean deleted, String status, String qualificationStatus, boolean contacted,
                boolean responded) {
            if (deleted) {
                return NONE;
            }
            return new Contribution(1, "qualified".equals(qualificationStatus) ? 1 : 0, contacted ? 1 : 0,
                    responded ? 1 : 0, "converted".equals(status) ? 1 : 0);
        }

        Contribution minus(Contribution other) {
            return new Contribution(total - other.total, qualified - other.qualified, contacted - other.contacted,
                    responded - other.responded, converted - other.converted);
        }
    }

    private final EntityManager entityManager;

    public LeadStateProjection(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** Returns false when the snapshot is not newer than what is stored (a duplicate or a late arrival). */
    @Transactional(TxType.MANDATORY)
    public boolean apply(String agencyId, LeadSnapshot lead) {
        @SuppressWarnings("unchecked")
        List<Object[]> current = entityManager.createNativeQuery("""
                select version, deleted, status, qualification_status, contacted, responded
                from lead_state where lead_id = :lead for update""")
                .setParameter("lead", lead.leadId())
                .getResultList();
        Contribution before = Contribution.NONE;
        if (!current.isEmpty()) {
            Object[] row = current.get(0);
            if (((Number) row[0]).longValue() >= lead.version()) {
                return false;
            }
            before = Contribution.of((Boolean) row[1], (String) row[2], (String) row[3], (Boolean) row[4],
                    (Boolean) row[5]);
        }
        entityManager.createNativeQuery("""
                insert into lead_state (lead_id, agency_id, campaign_id, status, qualification_status, contacted,
                    responded, deleted, version, changed_at)
                values (:lead, :agency, :campaign, :status, :qualification, :contacted, :responded, :deleted, :version,
                    :changedAt)
                on conflict (lead_id) do update set campaign_id = excluded.campaign_id, status = excluded.status,
                    qualification_status = excluded.qualification_status, contacted = excluded.contacted,
                    responded = excluded.responded, deleted = excluded.deleted, version = excluded.version,
                    changed_at = excluded.changed_at""")
                .setParameter("lead", lead.leadId())
                .setParameter("agency", agencyId)
                .setParameter("campaign", lead.campaignId())
                .setParameter("status", lead.status())
                .setParameter("qualification", lead.qualificationStatus())
                .setParameter("contacted", lead.contacted())
                .setParameter("responded", lead.responded())
                .setParameter("deleted", lead.deleted())
                .setParameter("version", lead.version())
                .setParameter("changedAt", lead.changedAt())
                .executeUpdate();
        Contribution after = Contribution.of(lead.deleted(), lead.status(), lead.qualificationStatus(),
                lead.contacted(), lead.responded());
        Contribution delta = after.minus(before);
        entityManager.createNativeQuery("""
                insert into agency_overview (agency_id, leads_total, leads_qualified, leads_contacted, leads_responded,
                    leads_converted, updated_at)
                values (:agency, :total, :qualified, :contacted, :responded, :converted, now())
                on conflict (agency_id) do update set
                    leads_total = agency_overview.leads_total + excluded.leads_total,
                    leads_qualified = agency_overview.leads_qualified + excluded.leads_qualified,
                    leads_contacted = agency_overview.leads_contacted + excluded.leads_contacted,
                    leads_responded = agency_overview.leads_responded + excluded.leads_responded,
                    leads_converted = agency_overview.leads_converted + excluded.leads_converted,
                    updated_at = now()""")
                .setParameter("agency", agencyId)
                .setParameter("total", delta.total())
                .setParameter("qualified", delta.qualified())
                .setParameter("contacted", delta.contacted())
                .setParameter("responded", delta.responded())
                .setParameter("converted", delta.converted())
                .executeUpdate();
        return true;
    }
}
