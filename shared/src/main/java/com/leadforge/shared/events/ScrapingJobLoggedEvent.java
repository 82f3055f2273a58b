package com.leadforge.shared.events;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Data of {@link EventType#SCRAPING_JOB_LOGGED}: one line of a job's log as its worker or the import results wrote
 * it, for live viewers of the job. Per-record detail lines (each rejected record) are not published; the batch
 * summaries that count them are. {@code log_id} orders a job's lines.
 */
@RegisterForReflection
public record ScrapingJobLoggedEvent(UUID jobId, String agencyId, long logId, String level, String message,
        Instant createdAt) {
}
