package com.leadforge.campaign.campaign;

import java.time.LocalDate;
import java.util.Map;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code PUT /api/v1/campaigns/{id}}: a partial update. A field that is absent or {@code null} keeps its
 * value; a blank {@code description} clears it; {@code target_audience} replaces the whole document. A new
 * {@code status} must be a transition the status machine allows ({@link CampaignStatus#next()}), else 409. The
 * counters are never part of a body: they follow lead events.
 */
@ValidCampaignRequest
public record UpdateCampaignRequest(
        @Size(max = 200) @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank") String name,
        @Size(max = 2000) String description,
        CampaignStatus status,
        LocalDate startDate,
        LocalDate endDate,
        @Size(max = 50, message = "may hold at most 50 keys") Map<String, Object> targetAudience)
        implements CampaignFields {
}
