package com.leadforge.shared.events;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Data of every {@code leadforge.scraping_job.*} lifecycle event (created, started, progressed, paused, resumed,
 * completed, failed, cancelled): the job's state after the change, so a consumer needs no other event to project it.
 * Counters only grow; {@code occurred_at} orders a job's events.
 *
 * @param error why the job failed (failed only), else null
 * @param actor who caused this change ({@code system} for the worker's own progress, completion and failure)
 * @param createdBy the user (token {@code sub}) who created the job: whom its completion or failure concerns. Added
 *                  later: null in events published before it existed
 */
@RegisterForReflection
public record ScrapingJobEvent(UUID jobId, String agencyId, UUID dataSourceId, String sourceType, UUID campaignId,
        String status, int progress, long recordsProcessed, long recordsImported, long recordsDuplicate,
        long recordsRejected, int errorCount, String error, String actor, Instant occurredAt, String createdBy) {

    /** The event as it was before {@code created_by} existed (creator unknown). */
    public ScrapingJobEvent(UUID jobId, String agencyId, UUID dataSourceId, String sourceType, UUID campaignId,
            String status, int progress, long recordsProcessed, long recordsImported, long recordsDuplicate,
            long recordsRejected, int errorCount, String error, String actor, Instant occurredAt) {
        this(jobId, agencyId, dataSourceId, sourceType, campaignId, status, progress, recordsProcessed,
                recordsImported, recordsDuplicate, recordsRejected, errorCount, error, actor, occurredAt, null);
    }
}
