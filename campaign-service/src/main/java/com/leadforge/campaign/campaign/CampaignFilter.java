package com.leadforge.campaign.campaign;

import java.util.Optional;

import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.QueryParam;

/** Optional filters of {@code GET /api/v1/campaigns}. An unknown status is a 400, not an empty page. */
public class CampaignFilter {

    @QueryParam("status")
    @Pattern(regexp = CampaignStatus.CODE_PATTERN, message = "must be one of [" + CampaignStatus.CODES + "]")
    String status;

    public Optional<CampaignStatus> status() {
        return Optional.ofNullable(status).flatMap(CampaignStatus::fromCode);
    }
}
