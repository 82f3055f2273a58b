package com.leadforge.campaign.campaign;

import java.time.LocalDate;
import java.util.Map;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /api/v1/campaigns}. The agency is never part of it: it comes from the caller's token. Dates are
 * ISO-8601 calendar dates ({@code 2025-03-31}); the rules that span fields are in {@link ValidCampaignRequest}.
 */
@ValidCampaignRequest
public record CreateCampaignRequest(
        @NotBlank @Size(max = 200) String name,
        @Size(max = 2000) String description,
        CampaignStatus status,
        LocalDate startDate,
        LocalDate endDate,
        @Size(max = 50, message = "may hold at most 50 keys") Map<String, Object> targetAudience)
        implements CampaignFields {
}
