package com.leadforge.scraping.job;

import java.util.Map;
import java.util.UUID;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /api/v1/jobs}. */
public record CreateJobRequest(
        @NotNull UUID dataSourceId,
        UUID campaignId,
        @Size(max = 50, message = "may hold at most 50 keys") Map<String, Object> searchCriteria,
        @Size(max = 50, message = "may hold at most 50 keys") Map<String, Object> config) {
}
