package com.leadforge.analytics.overview;

import java.sql.PreparedStatement;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.hibernate.Session;

import com.leadforge.shared.events.LeadSnapshot;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

/**
 * Keeps {@code lead_state}, the agency's lead counters, its campaigns' lead counts and the activity buckets in step:
 * every snapshot is folded into its lead's state ({@link LeadActivity.State#fold}), and each counter moves by the
 * difference between what the old and the new state contributed.
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

    /** A lead snapshot as one event carried it; {@code createdAt} and {@code source} only from lead.created. */
    public record LeadChange(LeadSnapshot lead, Instant createdAt, String source) {
    }

    private final EntityManager entityManager;

    public LeadStateProjection(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /**
     * Folds many snapshots of one agency into their leads' state with the outcome of folding them one by one in any
     * order: the stored rows are locked once (in id order), each lead's state takes every snapshot (the newest version
     * decides status, qualification, campaign and flags; the times are minima), and the agency's counters, its
     * campaigns' counts and the activity buckets move once by the sum of the differences, in key order.
     */
    @Transactional(TxType.MANDATORY)
    public void applyAll(String agencyId, List<LeadChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("""
                select lead_id, campaign_id, status, qualification_status, contacted, responded, deleted, version,
                    changed_at, created_at, source, first_qualified_at, first_contacted_at, first_responded_at
                from lead_state where lead_id = any(:leads) order by lead_id for update""")
                .setParameter("leads", changes.stream().map(c -> c.lead().leadId()).distinct().toArray(UUID[]::new))
                .getResultList();
        Map<UUID, LeadActivity.State> stored = new HashMap<>();
        for (Object[] row : rows) {
            stored.put((UUID) row[0], new LeadActivity.State((UUID) row[1], (String) row[2], (String) row[3],
                    (Boolean) row[4], (Boolean) row[5], (Boolean) row[6], ((Number) row[7]).longValue(),
                    instant(row[8]), instant(row[9]), (String) row[10], instant(row[11]), instant(row[12]),
                    instant(row[13])));
        }
        Map<UUID, LeadActivity.State> folded = new LinkedHashMap<>();
        for (LeadChange change : changes) {
            UUID id = change.lead().leadId();
            LeadActivity.State before = folded.containsKey(id) ? folded.get(id) : stored.get(id);
            folded.put(id, LeadActivity.State.fold(before, change.lead(), change.createdAt(), change.source()));
        }
        Contribution delta = Contribution.NONE;
        Map<LeadActivity.Bucket, long[]> buckets = LeadActivity.newBucketMap();
        Map<UUID, long[]> campaigns = new TreeMap<>();
        List<Map.Entry<UUID, LeadActivity.State>> changed = new ArrayList<>();
        for (Map.Entry<UUID, LeadActivity.State> entry : folded.entrySet()) {
            LeadActivity.State before = stored.get(entry.getKey());
            LeadActivity.State after = entry.getValue();
            if (after.equals(before)) {
                continue;
            }
            changed.add(entry);
            delta = delta.plus(contribution(after).minus(before == null ? Contribution.NONE : contribution(before)));
            after.addTo(buckets, 1);
            after.addToCampaign(campaigns, 1);
            if (before != null) {
                before.addTo(buckets, -1);
                before.addToCampaign(campaigns, -1);
            }
        }
        if (changed.isEmpty()) {
            return;
        }
        entityManager.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(UPSERT)) {
                for (Map.Entry<UUID, LeadActivity.State> entry : changed) {
                    LeadActivity.State lead = entry.getValue();
                    statement.setObject(1, entry.getKey());
                    statement.setString(2, agencyId);
                    statement.setObject(3, lead.campaignId(), Types.OTHER);
                    statement.setString(4, lead.status());
                    statement.setString(5, lead.qualification());
                    statement.setBoolean(6, lead.contacted());
                    statement.setBoolean(7, lead.responded());
                    statement.setBoolean(8, lead.deleted());
                    statement.setLong(9, lead.version());
                    setTime(statement, 10, lead.changedAt());
                    setTime(statement, 11, lead.createdAt());
                    statement.setString(12, lead.source());
                    setTime(statement, 13, lead.firstQualifiedAt());
                    setTime(statement, 14, lead.firstContactedAt());
                    setTime(statement, 15, lead.firstRespondedAt());
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            moveBuckets(connection, agencyId, buckets);
            moveAgencyBuckets(connection, agencyId, buckets);
            moveCampaigns(connection, agencyId, campaigns);
        });
        moveCounters(agencyId, delta);
    }

    private static Contribution contribution(LeadActivity.State state) {
        return Contribution.of(state.deleted(), state.status(), state.qualification(), state.contacted(),
                state.responded());
    }

    private static final String UPSERT = """
            insert into lead_state (lead_id, agency_id, campaign_id, status, qualification_status, contacted,
                responded, deleted, version, changed_at, created_at, source, first_qualified_at, first_contacted_at,
                first_responded_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (lead_id) do update set campaign_id = excluded.campaign_id, status = excluded.status,
                qualification_status = excluded.qualification_status, contacted = excluded.contacted,
                responded = excluded.responded, deleted = excluded.deleted, version = excluded.version,
                changed_at = excluded.changed_at, created_at = excluded.created_at, source = excluded.source,
                first_qualified_at = excluded.first_qualified_at, first_contacted_at = excluded.first_contacted_at,
                first_responded_at = excluded.first_responded_at""";

    private static final String BUCKET_UPSERT = """
            insert into lead_activity_bucket (agency_id, campaign_id, source, slot, %1$s)
            values (?, ?, ?, ?, %2$s)
            on conflict (agency_id, campaign_id, source, slot) do update set %3$s""".formatted(
            String.join(", ", LeadActivity.COLUMNS),
            String.join(", ", java.util.Collections.nCopies(LeadActivity.WIDTH, "?")),
            String.join(", ", LeadActivity.COLUMNS.stream()
                    .map(c -> c + " = lead_activity_bucket." + c + " + excluded." + c).toList()));

    /** Rows in key order, so that two transactions of one agency never wait on each other in a cycle. */
    private static void moveBuckets(java.sql.Connection connection, String agencyId,
            Map<LeadActivity.Bucket, long[]> buckets) throws java.sql.SQLException {
        try (PreparedStatement statement = connection.prepareStatement(BUCKET_UPSERT)) {
            boolean any = false;
            for (Map.Entry<LeadActivity.Bucket, long[]> bucket : buckets.entrySet()) {
                long[] values = bucket.getValue();
                if (java.util.Arrays.stream(values).allMatch(v -> v == 0)) {
                    continue;
                }
                statement.setString(1, agencyId);
                statement.setObject(2, bucket.getKey().campaignId());
                statement.setString(3, bucket.getKey().source());
                setTime(statement, 4, bucket.getKey().slot());
                for (int i = 0; i < values.length; i++) {
                    statement.setLong(5 + i, values[i]);
                }
                statement.addBatch();
                any = true;
            }
            if (any) {
                statement.executeBatch();
            }
        }
    }

    private static final String AGENCY_BUCKET_UPSERT = """
            insert into agency_activity_bucket (agency_id, slot, %1$s)
            values (?, ?, %2$s)
            on conflict (agency_id, slot) do update set %3$s""".formatted(
            String.join(", ", LeadActivity.COLUMNS),
            String.join(", ", java.util.Collections.nCopies(LeadActivity.WIDTH, "?")),
            String.join(", ", LeadActivity.COLUMNS.stream()
                    .map(c -> c + " = agency_activity_bucket." + c + " + excluded." + c).toList()));

    /** The buckets' moves summed per slot, in slot order. */
    private static void moveAgencyBuckets(java.sql.Connection connection, String agencyId,
            Map<LeadActivity.Bucket, long[]> buckets) throws java.sql.SQLException {
        Map<Instant, long[]> slots = new TreeMap<>();
        buckets.forEach((bucket, values) -> {
            long[] sum = slots.computeIfAbsent(bucket.slot(), s -> new long[LeadActivity.WIDTH]);
            for (int i = 0; i < values.length; i++) {
                sum[i] += values[i];
            }
        });
        try (PreparedStatement statement = connection.prepareStatement(AGENCY_BUCKET_UPSERT)) {
            boolean any = false;
            for (Map.Entry<Instant, long[]> slot : slots.entrySet()) {
                long[] values = slot.getValue();
                if (java.util.Arrays.stream(values).allMatch(v -> v == 0)) {
                    continue;
                }
                statement.setString(1, agencyId);
                setTime(statement, 2, slot.getKey());
                for (int i = 0; i < values.length; i++) {
                    statement.setLong(3 + i, values[i]);
                }
                statement.addBatch();
                any = true;
            }
            if (any) {
                statement.executeBatch();
            }
        }
    }

    private static void moveCampaigns(java.sql.Connection connection, String agencyId, Map<UUID, long[]> campaigns)
            throws java.sql.SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                insert into campaign_lead_counts (campaign_id, agency_id, leads, qualified, contacted, responded,
                    converted)
                values (?, ?, ?, ?, ?, ?, ?)
                on conflict (campaign_id) do update set leads = campaign_lead_counts.leads + excluded.leads,
                    qualified = campaign_lead_counts.qualified + excluded.qualified,
                    contacted = campaign_lead_counts.contacted + excluded.contacted,
                    responded = campaign_lead_counts.responded + excluded.responded,
                    converted = campaign_lead_counts.converted + excluded.converted""")) {
            boolean any = false;
            for (Map.Entry<UUID, long[]> campaign : campaigns.entrySet()) {
                long[] values = campaign.getValue();
                if (java.util.Arrays.stream(values).allMatch(v -> v == 0)) {
                    continue;
                }
                statement.setObject(1, campaign.getKey());
                statement.setString(2, agencyId);
                for (int i = 0; i < values.length; i++) {
                    statement.setLong(3 + i, values[i]);
                }
                statement.addBatch();
                any = true;
            }
            if (any) {
                statement.executeBatch();
            }
        }
    }

    private static void setTime(PreparedStatement statement, int index, Instant at) throws java.sql.SQLException {
        statement.setObject(index, at == null ? null : at.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
    }

    private static Instant instant(Object value) {
        return value == null ? null : CampaignStateProjection.toInstant(value);
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
