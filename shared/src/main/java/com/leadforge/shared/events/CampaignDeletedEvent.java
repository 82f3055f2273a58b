package com.leadforge.shared.events;

import java.time.Instant;
import java.util.UUID;

/** Data of {@link EventType#CAMPAIGN_DELETED}: the campaign is gone (it had no leads); its last status and name. */
public record CampaignDeletedEvent(UUID campaignId, String agencyId, String name, String status, String actor,
        Instant occurredAt) {
}
