package com.leadforge.scraping.job;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A job as the API shows it (the reference's scraping_jobs fields, plus duplicates and the reader's position). */
public record JobView(UUID id, UUID dataSourceId, String sourceType, UUID campaignId, JobStatus status, int progress,
        long recordsRead, long recordsProcessed, long recordsQualified, long recordsDuplicate, long recordsRejected,
        int errorCount, List<Map<String, Object>> errors, Map<String, Object> searchCriteria,
        Map<String, Object> config, Long uploadBytes, Instant startedAt, Instant completedAt, Integer durationSeconds,
        String createdBy, Instant createdAt, Instant updatedAt) {

    public static JobView of(ScrapingJob job) {
        return new JobView(job.id, job.dataSourceId, job.sourceType.code(), job.campaignId, job.status, job.progress,
                job.recordsRead, job.recordsProcessed, job.recordsImported, job.recordsDuplicate, job.recordsRejected,
                job.errorCount, job.errors, job.searchCriteria, job.config, job.uploadBytes, job.startedAt,
                job.completedAt, job.durationSeconds, job.createdBy, job.createdAt, job.updatedAt);
    }
}
