package com.leadforge.scraping.job;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * The run queue ({@code scraping_job_run}): which jobs are runnable and which worker holds each one's lease. Ids only,
 * no agency data, so a worker can claim across agencies; everything else it does happens inside the job's agency.
 */
@ApplicationScoped
public class JobRuns {

    /** A claimed job: the worker may run it until its lease expires, renewing the lease as it goes. */
    public record Claim(UUID jobId, String agencyId) {
    }

    private final EntityManager entityManager;

    public JobRuns(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** Makes the job runnable (start, resume); must run in the transaction of that change. */
    public void enqueue(ScrapingJob job, Instant now) {
        entityManager.createNativeQuery("""
                insert into scraping_job_run (job_id, agency_id, runnable_since) values (:job, :agency, :now)
                on conflict (job_id) do nothing""")
                .setParameter("job", job.id).setParameter("agency", job.agencyId).setParameter("now", now)
                .executeUpdate();
    }

    /** The job is no longer runnable (paused, cancelled, completed, failed); its worker stops at its next batch. */
    public void dequeue(UUID jobId) {
        entityManager.createNativeQuery("delete from scraping_job_run where job_id = :job")
                .setParameter("job", jobId).executeUpdate();
    }

    /**
     * Claims the oldest runnable job no live lease holds, skipping agencies that already run
     * {@code perAgencyLimit} jobs under live leases. Concurrent claimers never get the same job (SKIP LOCKED).
     */
    public Optional<Claim> claim(String owner, Duration lease, int perAgencyLimit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("""
                update scraping_job_run run set lease_owner = :owner,
                    lease_expires_at = clock_timestamp() + make_interval(secs => :leaseSeconds)
                where run.job_id = (
                    select candidate.job_id from scraping_job_run candidate
                    where (candidate.lease_expires_at is null or candidate.lease_expires_at < clock_timestamp())
                      and (select count(*) from scraping_job_run busy
                           where busy.agency_id = candidate.agency_id
                             and busy.lease_expires_at >= clock_timestamp()) < :perAgency
                    order by candidate.runnable_since
                    limit 1
                    for update skip locked)
                returning run.job_id, run.agency_id""")
                .setParameter("owner", owner)
                .setParameter("leaseSeconds", (double) lease.toMillis() / 1000)
                .setParameter("perAgency", perAgencyLimit)
                .getResultList();
        return rows.stream().findFirst().map(row -> new Claim((UUID) row[0], (String) row[1]));
    }

    /**
     * Locks the job's run row and renews the lease if this worker still holds it. False when the job is no longer
     * runnable or another worker took it over: the caller must not write anything for the job.
     */
    public boolean holdAndRenew(UUID jobId, String owner, Duration lease) {
        int renewed = entityManager.createNativeQuery("""
                update scraping_job_run set lease_expires_at = clock_timestamp() + make_interval(secs => :leaseSeconds)
                where job_id = :job and lease_owner = :owner""")
                .setParameter("job", jobId).setParameter("owner", owner)
                .setParameter("leaseSeconds", (double) lease.toMillis() / 1000)
                .executeUpdate();
        return renewed == 1;
    }

    /** Gives the lease back (the worker stops without finishing, e.g. on shutdown): another may take it at once. */
    public void release(UUID jobId, String owner) {
        entityManager.createNativeQuery("""
                update scraping_job_run set lease_owner = null, lease_expires_at = null
                where job_id = :job and lease_owner = :owner""")
                .setParameter("job", jobId).setParameter("owner", owner).executeUpdate();
    }
}
