package com.leadforge.shared.events;

import java.util.List;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Data of {@link EventType#SCRAPING_JOB_RECORDS_SCRAPED}: the next batch of a job's records, keyed by job id so a job's
 * batches stay in order. scraping-service writes it in the same transaction that advances the job's checkpoint, so
 * each record is sent in exactly one batch; lead-service imports a batch at most once (its inbox) and answers with
 * {@link EventType#LEAD_IMPORT_BATCH_IMPORTED}.
 *
 * @param batchSeq 1-based number of the batch within its job
 * @param sourceType the data source's type ({@code csv}, {@code apollo}, ...): the imported leads' {@code source}
 * @param campaignId the campaign the job imports into, or null
 * @param actor who runs the job (the imported leads' {@code created_by})
 */
@RegisterForReflection
public record ScrapedRecordsEvent(UUID jobId, String agencyId, UUID dataSourceId, String sourceType, UUID campaignId,
        long batchSeq, String actor, List<ScrapedRecord> records) {
}
