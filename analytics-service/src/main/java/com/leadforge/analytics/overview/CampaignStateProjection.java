package com.leadforge.analytics.overview;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

/**
 * Keeps {@code campaign_state} and the agency's campaign counters in step: a newer state replaces the stored one and
 * {@code campaigns_total}/{@code campaigns_active} move by the difference.
 */
@ApplicationScoped
public class CampaignStateProjection {

    private final EntityManager entityManager;

    public CampaignStateProjection(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** timestamptz comes back as whichever JDBC/Hibernate type the driver prefers. */
    public static Instant toInstant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof java.time.OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant();
        }
        throw new IllegalStateException("Unexpected timestamp type " + value.getClass().getName());
    }

    /**
     * Whether a state stamped {@code at} replaces one stamped {@code storedAt}: the later one wins, and two states of
     * the same instant are ordered by {@code rank} then by name, so that the outcome never depends on which of them
     * arrived first (a replay applies a history in another order than the live consumer did).
     */
    static boolean replaces(Instant storedAt, int storedRank, String storedStatus, Instant at, int rank,
            String status) {
        // PostgreSQL keeps microseconds: compare what is stored, or a nanosecond apart would decide by arrival order.
        int byTime = at.truncatedTo(ChronoUnit.MICROS).compareTo(storedAt.truncatedTo(ChronoUnit.MICROS));
        if (byTime != 0) {
            return byTime > 0;
        }
        if (rank != storedRank) {
            return rank > storedRank;
        }
        return status.compareTo(storedStatus) > 0;
    }

    /** Returns false when the state is not newer than the stored one. */
    @Transactional(TxType.MANDATORY)
    public boolean apply(String agencyId, UUID campaignId, String status, boolean deleted, Instant changedAt) {
        @SuppressWarnings("unchecked")
        List<Object[]> current = entityManager.createNativeQuery(
                "select status, deleted, changed_at from campaign_state where campaign_id = :id for update")
                .setParameter("id", campaignId)
                .getResultList();
        long totalBefore = 0;
        long activeBefore = 0;
        if (!current.isEmpty()) {
            Object[] row = current.get(0);
            boolean wasDeleted = (Boolean) row[1];
            if (!replaces(toInstant(row[2]), wasDeleted ? 1 : 0, (String) row[0], changedAt, deleted ? 1 : 0,
                    status)) {
                return false;
            }
            totalBefore = wasDeleted ? 0 : 1;
            activeBefore = !wasDeleted && "active".equals(row[0]) ? 1 : 0;
        }
        entityManager.createNativeQuery("""
                insert into campaign_state (campaign_id, agency_id, status, deleted, changed_at)
                values (:id, :agency, :status, :deleted, :changedAt)
                on conflict (campaign_id) do update set status = excluded.status, deleted = excluded.deleted,
                    changed_at = excluded.changed_at""")
                .setParameter("id", campaignId)
                .setParameter("agency", agencyId)
                .setParameter("status", status)
                .setParameter("deleted", deleted)
                .setParameter("changedAt", changedAt)
                .executeUpdate();
        long totalAfter = deleted ? 0 : 1;
        long activeAfter = !deleted && "active".equals(status) ? 1 : 0;
        entityManager.createNativeQuery("""
                insert into agency_overview (agency_id, campaigns_total, campaigns_active, updated_at)
                values (:agency, :total, :active, now())
                on conflict (agency_id) do update set
                    campaigns_total = agency_overview.campaigns_total + excluded.campaigns_total,
                    campaigns_active = agency_overview.campaigns_active + excluded.campaigns_active,
                    updated_at = now()""")
                .setParameter("agency", agencyId)
                .setParameter("total", totalAfter - totalBefore)
                .setParameter("active", activeAfter - activeBefore)
                .executeUpdate();
        return true;
    }

    /** The campaign's name (newest by its time) and creation time, from created and updated events. */
    @Transactional(TxType.MANDATORY)
    public void describe(String agencyId, UUID campaignId, String name, Instant at, boolean creation) {
        String kept = name == null || name.isBlank() ? null : name.length() > 200 ? name.substring(0, 200) : name;
        entityManager.unwrap(org.hibernate.Session.class).doWork(connection -> {
            try (java.sql.PreparedStatement statement = connection.prepareStatement("""
                    insert into campaign_profile (campaign_id, agency_id, name, name_changed_at, created_at)
                    values (?, ?, ?, ?, ?)
                    on conflict (campaign_id) do update set
                        name = case when excluded.name is not null and (campaign_profile.name_changed_at is null
                                or excluded.name_changed_at >= campaign_profile.name_changed_at)
                            then excluded.name else campaign_profile.name end,
                        name_changed_at = greatest(campaign_profile.name_changed_at, excluded.name_changed_at),
                        created_at = least(campaign_profile.created_at, excluded.created_at)""")) {
                statement.setObject(1, campaignId);
                statement.setString(2, agencyId);
                statement.setString(3, kept);
                statement.setObject(4, kept == null || at == null ? null : at.atOffset(java.time.ZoneOffset.UTC),
                        java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
                statement.setObject(5, !creation || at == null ? null : at.atOffset(java.time.ZoneOffset.UTC),
                        java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
                statement.executeUpdate();
            }
        });
    }
}
