package com.leadforge.analytics.overview;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.leadforge.shared.events.ScrapingJobEvent;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

/**
 * Keeps {@code data_source_state}, {@code scraping_job_state} and the agency's scraping counters in step: a newer state
 * replaces the stored one and the counters move by the difference between what the old and the new state contribute,
 * so duplicates and late (older) events change nothing.
 */
@ApplicationScoped
public class ScrapingStateProjection {

    /** What one data source or job adds to the agency's counters. */
    private record Contribution(long sources, long sourcesActive, long jobs, long successful, long running,
            long pending, long records) {
        static final Contribution NONE = new Contribution(0, 0, 0, 0, 0, 0, 0);

        Contribution minus(Contribution other) {
            return new Contribution(sources - other.sources, sourcesActive - other.sourcesActive, jobs - other.jobs,
                    successful - other.successful, running - other.running, pending - other.pending,
                    records - other.records);
        }
    }

    private final EntityManager entityManager;

    public ScrapingStateProjection(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /**
     * A data source's state after {@code created}, {@code updated}, {@code tested} or {@code deleted}. A source first
     * seen through a later event was created before this projection existed, when its creation was already counted
     * (in the total, not as active) — unless its creation turns up after all (delivered out of order, or replayed
     * while the live consumer ran ahead of the replay): the total it was owed is added then, so the outcome is the
     * same in any order.
     */
    @Transactional(TxType.MANDATORY)
    public boolean dataSource(String agencyId, UUID id, String status, boolean deleted, Instant changedAt,
            boolean creation) {
        @SuppressWarnings("unchecked")
        List<Object[]> current = entityManager.createNativeQuery("""
                select status, deleted, changed_at, created_seen from data_source_state
                where data_source_id = :id for update""")
                .setParameter("id", id).getResultList();
        Contribution before = creation ? Contribution.NONE : new Contribution(1, 0, 0, 0, 0, 0, 0);
        Contribution owed = Contribution.NONE;
        if (!current.isEmpty()) {
            Object[] row = current.get(0);
            boolean wasDeleted = (Boolean) row[1];
            if (creation && !(Boolean) row[3]) {
                owed = new Contribution(1, 0, 0, 0, 0, 0, 0);
            }
            if (!CampaignStateProjection.replaces(CampaignStateProjection.toInstant(row[2]), wasDeleted ? 1 : 0,
                    (String) row[0], changedAt, deleted ? 1 : 0, status)) {
                if (owed.sources() == 0) {
                    return false;
                }
                entityManager.createNativeQuery(
                        "update data_source_state set created_seen = true where data_source_id = :id")
                        .setParameter("id", id).executeUpdate();
                move(agencyId, owed);
                return true;
            }
            before = sourceContribution((String) row[0], wasDeleted).minus(owed);
        }
        entityManager.createNativeQuery("""
                insert into data_source_state (data_source_id, agency_id, status, deleted, changed_at, created_seen)
                values (:id, :agency, :status, :deleted, :changedAt, :creation)
                on conflict (data_source_id) do update set status = excluded.status, deleted = excluded.deleted,
                    changed_at = excluded.changed_at,
                    created_seen = data_source_state.created_seen or excluded.created_seen""")
                .setParameter("id", id).setParameter("agency", agencyId).setParameter("status", status)
                .setParameter("deleted", deleted).setParameter("changedAt", changedAt)
                .setParameter("creation", creation).executeUpdate();
        move(agencyId, sourceContribution(status, deleted).minus(before));
        return true;
    }

    /**
     * A job's state after any of its lifecycle events. The latest state wins (at the same instant the further one in
     * the lifecycle); the records count is the highest any event carried, late ones included, so that any order of
     * the same events ends in the same row.
     */
    @Transactional(TxType.MANDATORY)
    public boolean job(String agencyId, UUID id, String status, long recordsProcessed, Instant changedAt) {
        @SuppressWarnings("unchecked")
        List<Object[]> current = entityManager.createNativeQuery(
                "select status, records_processed, changed_at from scraping_job_state where job_id = :id for update")
                .setParameter("id", id).getResultList();
        Contribution before = Contribution.NONE;
        String newStatus = status;
        Instant newChangedAt = changedAt;
        if (!current.isEmpty()) {
            Object[] row = current.get(0);
            String storedStatus = (String) row[0];
            Instant storedAt = CampaignStateProjection.toInstant(row[2]);
            before = jobContribution(storedStatus, ((Number) row[1]).longValue());
            if (!CampaignStateProjection.replaces(storedAt, lifecycleRank(storedStatus), storedStatus, changedAt,
                    lifecycleRank(status), status)) {
                if (recordsProcessed <= before.records()) {
                    return false;
                }
                newStatus = storedStatus;
                newChangedAt = storedAt;
            }
        }
        long records = Math.max(recordsProcessed, before.records());
        entityManager.createNativeQuery("""
                insert into scraping_job_state (job_id, agency_id, status, records_processed, changed_at)
                values (:id, :agency, :status, :records, :changedAt)
                on conflict (job_id) do update set status = excluded.status,
                    records_processed = excluded.records_processed, changed_at = excluded.changed_at""")
                .setParameter("id", id).setParameter("agency", agencyId).setParameter("status", newStatus)
                .setParameter("records", records).setParameter("changedAt", newChangedAt).executeUpdate();
        move(agencyId, jobContribution(newStatus, records).minus(before));
        return true;
    }

    /**
     * What the dashboard lists of a job besides its status: what it imports from and into (fixed for a job), when it
     * was created, and its progress and imported count (both only grow, so the largest seen is the newest).
     */
    @Transactional(TxType.MANDATORY)
    public void describeJob(String agencyId, ScrapingJobEvent job, boolean creation) {
        entityManager.unwrap(org.hibernate.Session.class).doWork(connection -> {
            try (java.sql.PreparedStatement statement = connection.prepareStatement("""
                    update scraping_job_state set data_source_id = coalesce(data_source_id, ?),
                        source_type = coalesce(source_type, ?), campaign_id = coalesce(campaign_id, ?),
                        created_at = least(created_at, ?), progress = greatest(progress, ?),
                        records_imported = greatest(records_imported, ?)
                    where job_id = ? and agency_id = ?""")) {
                statement.setObject(1, job.dataSourceId(), java.sql.Types.OTHER);
                statement.setString(2, job.sourceType() == null || job.sourceType().length() > 20 ? null
                        : job.sourceType());
                statement.setObject(3, job.campaignId(), java.sql.Types.OTHER);
                statement.setObject(4, !creation || job.occurredAt() == null ? null
                        : job.occurredAt().atOffset(java.time.ZoneOffset.UTC), java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
                statement.setInt(5, Math.max(0, Math.min(100, job.progress())));
                statement.setLong(6, Math.max(0, job.recordsImported()));
                statement.setObject(7, job.jobId());
                statement.setString(8, agencyId);
                statement.executeUpdate();
            }
        });
    }

    /** A job's statuses in lifecycle order, for two events of the same instant. */
    private static int lifecycleRank(String status) {
        return switch (status) {
            case "pending" -> 0;
            case "running" -> 1;
            case "paused" -> 2;
            case "completed", "failed", "cancelled" -> 3;
            default -> -1;
        };
    }

    private static Contribution sourceContribution(String status, boolean deleted) {
        return deleted ? Contribution.NONE : new Contribution(1, "active".equals(status) ? 1 : 0, 0, 0, 0, 0, 0);
    }

    private static Contribution jobContribution(String status, long records) {
        return new Contribution(0, 0, 1, "completed".equals(status) ? 1 : 0, "running".equals(status) ? 1 : 0,
                "pending".equals(status) ? 1 : 0, records);
    }

    private void move(String agencyId, Contribution delta) {
        entityManager.createNativeQuery("""
                insert into agency_overview (agency_id, data_sources_total, data_sources_active, jobs_total,
                    jobs_successful, jobs_running, jobs_pending, records_scraped, updated_at)
                values (:agency, :sources, :active, :jobs, :successful, :running, :pending, :records, now())
                on conflict (agency_id) do update set
                    data_sources_total = agency_overview.data_sources_total + excluded.data_sources_total,
                    data_sources_active = agency_overview.data_sources_active + excluded.data_sources_active,
                    jobs_total = agency_overview.jobs_total + excluded.jobs_total,
                    jobs_successful = agency_overview.jobs_successful + excluded.jobs_successful,
                    jobs_running = agency_overview.jobs_running + excluded.jobs_running,
                    jobs_pending = agency_overview.jobs_pending + excluded.jobs_pending,
                    records_scraped = agency_overview.records_scraped + excluded.records_scraped,
                    updated_at = now()""")
                .setParameter("agency", agencyId).setParameter("sources", delta.sources())
                .setParameter("active", delta.sourcesActive()).setParameter("jobs", delta.jobs())
                .setParameter("successful", delta.successful()).setParameter("running", delta.running())
                .setParameter("pending", delta.pending()).setParameter("records", delta.records())
                .executeUpdate();
    }
}
