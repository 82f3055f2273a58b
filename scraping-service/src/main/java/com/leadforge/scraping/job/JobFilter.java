package com.leadforge.scraping.job;

import java.util.Optional;
import java.util.UUID;

import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.QueryParam;

/** Filters of {@code GET /api/v1/jobs}. */
public class JobFilter {

    @QueryParam("status")
    @Pattern(regexp = JobStatus.CODE_PATTERN, message = "must be one of pending, running, paused, completed, failed, cancelled")
    String status;

    @QueryParam("data_source_id")
    UUID dataSourceId;

    @QueryParam("campaign_id")
    UUID campaignId;

    public Optional<JobStatus> status() {
        return Optional.ofNullable(status).flatMap(JobStatus::fromCode);
    }

    public Optional<UUID> dataSourceId() {
        return Optional.ofNullable(dataSourceId);
    }

    public Optional<UUID> campaignId() {
        return Optional.ofNullable(campaignId);
    }

    public JobFilter forDataSource(UUID id) {
        JobFilter filter = new JobFilter();
        filter.status = status;
        filter.campaignId = campaignId;
        filter.dataSourceId = id;
        return filter;
    }
}
