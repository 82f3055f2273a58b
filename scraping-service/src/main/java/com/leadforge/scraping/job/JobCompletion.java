package com.leadforge.scraping.job;

import java.time.Instant;

import com.leadforge.shared.events.EventType;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * Ends jobs: completed once every record is read and answered for, failed when the source fails. Runs in the
 * transaction of the change that ends the job, with the job's row locked; the data source's counters move with it.
 */
@ApplicationScoped
public class JobCompletion {

    private final JobEvents events;
    private final JobRuns runs;
    private final EntityManager entityManager;

    public JobCompletion(JobEvents events, JobRuns runs, EntityManager entityManager) {
        this.events = events;
        this.runs = runs;
        this.entityManager = entityManager;
    }

    /** Completes a running job whose records are all read and answered for; true when it did. */
    public boolean completeIfDone(ScrapingJob job, Instant now) {
        if (job.status != JobStatus.RUNNING || !job.allAnswered()) {
            return false;
        }
        job.status = JobStatus.COMPLETED;
        job.completedAt = now;
        job.stopClock(now);
        job.updatedAt = now;
        job.updateProgress();
        runs.dequeue(job.id);
        countOnDataSource(job, true);
        JobLog.write(job.id, JobLog.Level.INFO, "Job completed: " + job.recordsImported + " imported, "
                + job.recordsDuplicate + " duplicates, " + job.recordsRejected + " rejected of "
                + job.recordsProcessed + " records", null);
        events.append(EventType.SCRAPING_JOB_COMPLETED, job, "system", now);
        return true;
    }

    /** Fails a running job with the source's error (a paused or cancelled one stays as the client left it). */
    public void fail(ScrapingJob job, String error, Instant now) {
        if (job.status != JobStatus.RUNNING) {
            return;
        }
        job.recordError(error, now);
        job.status = JobStatus.FAILED;
        job.completedAt = now;
        job.stopClock(now);
        job.updatedAt = now;
        runs.dequeue(job.id);
        countOnDataSource(job, false);
        JobLog.write(job.id, JobLog.Level.ERROR, "Job failed: " + job.lastError, null);
        events.append(EventType.SCRAPING_JOB_FAILED, job, "system", now);
    }

    private void countOnDataSource(ScrapingJob job, boolean succeeded) {
        // A plain increment: no optimistic-lock conflict with an edit of the data source made at the same time.
        entityManager.createNativeQuery("""
                update data_source set successful_jobs = successful_jobs + :ok, failed_jobs = failed_jobs + :failed,
                    total_records_scraped = total_records_scraped + :records
                where id = :id""")
                .setParameter("ok", succeeded ? 1 : 0).setParameter("failed", succeeded ? 0 : 1)
                .setParameter("records", job.recordsRead).setParameter("id", job.dataSourceId)
                .executeUpdate();
    }
}
