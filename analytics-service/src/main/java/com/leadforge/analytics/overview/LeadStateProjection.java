package com.leadforge.analytics.overview;

import java.sql.PreparedStatement;
import java.sql.Types;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.hibernate.Session;

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

        Contribution plus(Contribution other) {
            return new Contribution(total + other.total, qualified + other.qualified, contacted + other.contacted,
                    responded + other.responded, converted + other.converted);
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

    /**
     * {@link #apply} for many snapshots of one agency with the same outcome as applying them one by one in order: the
     * stored rows are locked once (in id order), each lead ends at its newest snapshot, and the agency's counters move
     * once by the sum of the differences. Returns the snapshots that changed a lead, in order (for counting creations).
     */
    @Transactional(TxType.MANDATORY)
    public List<LeadSnapshot> applyAll(String agencyId, List<LeadSnapshot> leads) {
        if (leads.isEmpty()) {
            return List.of();
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("""
                select lead_id, version, deleted, status, qualification_status, contacted, responded
                from lead_state where lead_id = any(:leads) order by lead_id for update""")
                .setParameter("leads", leads.stream().map(LeadSnapshot::leadId).distinct().toArray(UUID[]::new))
                .getResultList();
        // Walk the snapshots in order as apply() would, keeping each lead's current version and contribution.
        Map<UUID, Long> versions = new HashMap<>();
        Map<UUID, Contribution> contributions = new HashMap<>();
        for (Object[] row : rows) {
            versions.put((UUID) row[0], ((Number) row[1]).longValue());
            contributions.put((UUID) row[0], Contribution.of((Boolean) row[2], (String) row[3], (String) row[4],
                    (Boolean) row[5], (Boolean) row[6]));
        }
        Map<UUID, LeadSnapshot> latest = new LinkedHashMap<>();
        List<LeadSnapshot> changed = new ArrayList<>();
        Contribution delta = Contribution.NONE;
        for (LeadSnapshot lead : leads) {
            Long version = versions.get(lead.leadId());
            if (version != null && version >= lead.version()) {
                continue;
            }
            Contribution after = Contribution.of(lead.deleted(), lead.status(), lead.qualificationStatus(),
                    lead.contacted(), lead.responded());
            delta = delta.plus(after.minus(contributions.getOrDefault(lead.leadId(), Contribution.NONE)));
            versions.put(lead.leadId(), lead.version());
            contributions.put(lead.leadId(), after);
            latest.put(lead.leadId(), lead);
            changed.add(lead);
        }
        if (latest.isEmpty()) {
            return changed;
        }
        entityManager.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(UPSERT)) {
                for (LeadSnapshot lead : latest.values()) {
                    statement.setObject(1, lead.leadId());
                    statement.setString(2, agencyId);
                    statement.setObject(3, lead.campaignId(), Types.OTHER);
                    statement.setString(4, lead.status());
                    statement.setString(5, lead.qualificationStatus());
                    statement.setBoolean(6, lead.contacted());
                    statement.setBoolean(7, lead.responded());
                    statement.setBoolean(8, lead.deleted());
                    statement.setLong(9, lead.version());
                    statement.setObject(10, lead.changedAt() == null ? null
                            : lead.changedAt().atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
                    statement.addBatch();
                }
                statement.executeBatch();
            }
        });
        moveCounters(agencyId, delta);
        return changed;
    }

    private static final String UPSERT = """
            insert into lead_state (lead_id, agency_id, campaign_id, status, qualification_status, contacted,
                responded, deleted, version, changed_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (lead_id) do update set campaign_id = excluded.campaign_id, status = excluded.status,
                qualification_status = excluded.qualification_status, contacted = excluded.contacted,
                responded = excluded.responded, deleted = excluded.deleted, version = excluded.version,
                changed_at = excluded.changed_at""";

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
        moveCounters(agencyId, after.minus(before));
        return true;
    }

    private void moveCounters(String agencyId, Contribution delta) {
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
    }
}
