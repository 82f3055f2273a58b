package com.leadforge.shared.events;

import java.time.Instant;
import java.util.UUID;

/** Data of {@link EventType#CAMPAIGN_CREATED}. */
public record CampaignCreatedEvent(UUID campaignId, String agencyId, String name, String status, String actor,
        Instant createdAt) {
}
