package com.leadforge.campaign.counters;

import java.sql.PreparedStatement;
import java.sql.Types;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import org.hibernate.Session;

import com.leadforge.shared.events.LeadSnapshot;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

/**
 * The per-lead projection and the counters derived from it. Counters are recomputed from the projection rather than
 * incremented, so they cannot drift from it whatever order events arrive in. Lock order, everywhere: lead rows
 * first, then campaign rows by id, so that the consumer, deletes and reconciliation never deadlock one another.
 */
@ApplicationScoped
public class CampaignCounters {

    /** The four counters of one campaign. */
    public record Counters(long leadsCount, long qualifiedLeadsCount, long contactedCount, long respondedCount) {
    }

    /** Positional form of the version-guarded upsert, for batches. */
    private static final String UPSERT_BATCH = """
            insert into lead_projection (lead_id, agency_id, campaign_id, status, qualification_status, contacted,
                responded, deleted, version, changed_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (lead_id) do update set campaign_id = excluded.campaign_id, status = excluded.status,
                qualification_status = excluded.qualification_status, contacted = excluded.contacted,
                responded = excluded.responded, deleted = excluded.deleted, version = excluded.version,
                changed_at = excluded.changed_at
            where excluded.version > lead_projection.version""";
    private static final int BATCH = 500;

    private final EntityManager entityManager;

    public CampaignCounters(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /**
     * Applies {@code lead} if it is newer than the stored state, and recounts the campaigns it left and joined.
     *
     * @return false when the snapshot was not newer (a duplicate or a late arrival): nothing changed
     */
    @Transactional(TxType.MANDATORY)
    public boolean apply(String agencyId, LeadSnapshot lead) {
        @SuppressWarnings("unchecked")
        List<Object[]> stored = entityManager.createNativeQuery("""
                select campaign_id, version from lead_projection where lead_id = :lead for update""")
                .setParameter("lead", lead.leadId())
                .getResultList();
        UUID oldCampaign = null;
        if (!stored.isEmpty()) {
            if (((Number) stored.get(0)[1]).longValue() >= lead.version()) {
                return false;
            }
            oldCampaign = (UUID) stored.get(0)[0];
        }
        Set<UUID> affected = new TreeSet<>();
        if (oldCampaign != null) {
            affected.add(oldCampaign);
        }
        if (lead.campaignId() != null) {
            affected.add(lead.campaignId());
        }
        lockCampaigns(affected);
        if (upsert(agencyId, lead) == 0) {
            return false;
        }
        recount(affected);
        return true;
    }

    /**
     * {@link #apply} for many snapshots of one agency, with the same outcome as applying them one by one in order, but
     * one lock round and one recount: the leads' projection rows are locked (in id order), then the campaigns they
     * leave and join (in id order), the newer snapshots are written, and each affected campaign is recounted once —
     * the recount scans a campaign's leads, so once per event made a big import quadratic.
     *
     * @return how many snapshots changed the projection
     */
    @Transactional(TxType.MANDATORY)
    public int applyAll(String agencyId, List<LeadSnapshot> leads) {
        if (leads.isEmpty()) {
            return 0;
        }
        // The newest snapshot of each lead is what applying them in order leaves behind.
        Map<UUID, LeadSnapshot> newest = new java.util.LinkedHashMap<>();
        for (LeadSnapshot lead : leads) {
            newest.merge(lead.leadId(), lead, (a, b) -> b.version() > a.version() ? b : a);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> stored = entityManager.createNativeQuery("""
                select lead_id, campaign_id, version from lead_projection where lead_id = any(:leads)
                order by lead_id for update""")
                .setParameter("leads", newest.keySet().toArray(UUID[]::new))
                .getResultList();
        Map<UUID, Object[]> storedById = new java.util.HashMap<>();
        for (Object[] row : stored) {
            storedById.put((UUID) row[0], row);
        }
        List<LeadSnapshot> newer = new ArrayList<>();
        Set<UUID> affected = new TreeSet<>();
        for (LeadSnapshot lead : newest.values()) {
            Object[] row = storedById.get(lead.leadId());
            if (row != null && ((Number) row[2]).longValue() >= lead.version()) {
                continue;
            }
            newer.add(lead);
            if (row != null && row[1] != null) {
                affected.add((UUID) row[1]);
            }
            if (lead.campaignId() != null) {
                affected.add(lead.campaignId());
            }
        }
        if (newer.isEmpty()) {
            return 0;
        }
        lockCampaigns(affected);
        int written = (int) upsertAll(agencyId, newer);
        recount(affected);
        return written;
    }

    /** Stores {@code lead} unless the stored state is as new or newer; returns the number of rows written (0 or 1). */
    @Transactional(TxType.MANDATORY)
    public int upsert(String agencyId, LeadSnapshot lead) {
        return entityManager.createNativeQuery("""
                insert into lead_projection (lead_id, agency_id, campaign_id, status, qualification_status, contacted,
                    responded, deleted, version, changed_at)
                values (:lead, :agency, :campaign, :status, :qualification, :contacted, :responded, :deleted, :version,
                    :changedAt)
                on conflict (lead_id) do update set campaign_id = excluded.campaign_id, status = excluded.status,
                    qualification_status = excluded.qualification_status, contacted = excluded.contacted,
                    responded = excluded.responded, deleted = excluded.deleted, version = excluded.version,
                    changed_at = excluded.changed_at
                where excluded.version > lead_projection.version""")
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
    }

    /**
     * {@link #upsert} for many leads, sent in JDBC batches (a reconciliation may replay hundreds of thousands), in
     * the given order, on the transaction's connection (so row-level security applies as to every statement).
     *
     * @return how many rows were written (leads whose stored state was missing or older)
     */
    @Transactional(TxType.MANDATORY)
    public long upsertAll(String agencyId, List<LeadSnapshot> leads) {
        return entityManager.unwrap(Session.class).doReturningWork(connection -> {
            long written = 0;
            try (PreparedStatement statement = connection.prepareStatement(UPSERT_BATCH)) {
                int pending = 0;
                for (LeadSnapshot lead : leads) {
                    statement.setObject(1, lead.leadId());
                    statement.setString(2, agencyId);
                    if (lead.campaignId() == null) {
                        statement.setNull(3, Types.OTHER);
                    } else {
                        statement.setObject(3, lead.campaignId());
                    }
                    statement.setString(4, lead.status());
                    statement.setString(5, lead.qualificationStatus());
                    statement.setBoolean(6, lead.contacted());
                    statement.setBoolean(7, lead.responded());
                    statement.setBoolean(8, lead.deleted());
                    statement.setLong(9, lead.version());
                    statement.setObject(10, lead.changedAt() == null ? null
                            : lead.changedAt().atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
                    statement.addBatch();
                    if (++pending == BATCH) {
                        written += sum(statement.executeBatch());
                        pending = 0;
                    }
                }
                if (pending > 0) {
                    written += sum(statement.executeBatch());
                }
            }
            return written;
        });
    }

    private static long sum(int[] counts) {
        long total = 0;
        for (int count : counts) {
            total += Math.max(count, 0);
        }
        return total;
    }

    /** Locks the campaigns in id order (those of other agencies are invisible and simply not locked). */
    @Transactional(TxType.MANDATORY)
    public void lockCampaigns(Collection<UUID> campaignIds) {
        if (campaignIds.isEmpty()) {
            return;
        }
        entityManager.createNativeQuery("select id from campaign where id in (:ids) order by id for update")
                .setParameter("ids", campaignIds)
                .getResultList();
    }

    /** Sets the counters of the given campaigns from the projection: live leads only, deleted ones count nowhere. */
    @Transactional(TxType.MANDATORY)
    public void recount(Collection<UUID> campaignIds) {
        if (campaignIds.isEmpty()) {
            return;
        }
        entityManager.createNativeQuery("""
                update campaign c set leads_count = s.total, qualified_leads_count = s.qualified,
                    contacted_count = s.contacted, responded_count = s.responded
                from (select c2.id,
                          count(p.lead_id) as total,
                          count(p.lead_id) filter (where p.qualification_status = 'qualified') as qualified,
                          count(p.lead_id) filter (where p.contacted) as contacted,
                          count(p.lead_id) filter (where p.responded) as responded
                      from campaign c2
                      left join lead_projection p on p.campaign_id = c2.id and not p.deleted
                      where c2.id in (:ids)
                      group by c2.id) s
                where c.id = s.id""")
                .setParameter("ids", campaignIds)
                .executeUpdate();
    }

    /** The stored counters of every campaign of the agency, by id; with {@code lock}, the rows stay locked. */
    @Transactional(TxType.MANDATORY)
    public Map<UUID, Named> storedCounters(String agencyId, boolean lock) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("""
                select id, name, leads_count, qualified_leads_count, contacted_count, responded_count
                from campaign where agency_id = :agency order by id""" + (lock ? " for update" : ""))
                .setParameter("agency", agencyId)
                .getResultList();
        Map<UUID, Named> counters = new TreeMap<>();
        for (Object[] row : rows) {
            counters.put((UUID) row[0], new Named((String) row[1], new Counters(((Number) row[2]).longValue(),
                    ((Number) row[3]).longValue(), ((Number) row[4]).longValue(), ((Number) row[5]).longValue())));
        }
        return counters;
    }

    /** A campaign's name with its counters, for reports. */
    public record Named(String name, Counters counters) {
    }
}
