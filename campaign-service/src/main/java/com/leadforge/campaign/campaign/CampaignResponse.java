package com.leadforge.campaign.campaign;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;

/** A campaign as the API shows it. */
public record CampaignResponse(UUID id, String agencyId, String name, String description, CampaignStatus status,
        LocalDate startDate, LocalDate endDate, Map<String, Object> targetAudience, int leadsCount,
        int qualifiedLeadsCount, int contactedCount, int respondedCount, String createdBy, Instant createdAt,
        Instant updatedAt) {

    static CampaignResponse of(Campaign campaign) {
        return new CampaignResponse(campaign.id, campaign.agencyId, campaign.name, campaign.description,
                campaign.status, campaign.startDate, campaign.endDate, campaign.targetAudience, campaign.leadsCount,
                campaign.qualifiedLeadsCount, campaign.contactedCount, campaign.respondedCount, campaign.createdBy,
                campaign.createdAt, campaign.updatedAt);
    }
}
