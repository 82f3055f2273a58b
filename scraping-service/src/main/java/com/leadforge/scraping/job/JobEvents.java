package com.leadforge.scraping.job;

import java.time.Instant;

import com.leadforge.shared.events.EventType;
import com.leadforge.shared.events.ScrapingJobEvent;
import com.leadforge.shared.outbox.OutboxWriter;

import jakarta.enterprise.context.ApplicationScoped;

/** Writes a job's lifecycle events to the outbox, in the transaction of the change they describe. */
@ApplicationScoped
public class JobEvents {

    private final OutboxWriter outbox;

    public JobEvents(OutboxWriter outbox) {
        this.outbox = outbox;
    }

    public void append(EventType type, ScrapingJob job, String actor, Instant at) {
        outbox.append(type, job.agencyId, job.id, actor,
                new ScrapingJobEvent(job.id, job.agencyId, job.dataSourceId, job.sourceType.code(), job.campaignId,
                        job.status.code(), job.progress, job.recordsProcessed, job.recordsImported,
                        job.recordsDuplicate, job.recordsRejected, job.errorCount,
                        job.status == JobStatus.FAILED ? job.lastError : null, actor, at, job.createdBy));
    }
}
