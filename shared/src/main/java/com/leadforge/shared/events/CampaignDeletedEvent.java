package com.leadforge.shared.events;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Data of {@link EventType#CAMPAIGN_DELETED}: the campaign is gone (it had no leads); its last status and name. */
@RegisterForReflection
public record CampaignDeletedEvent(UUID campaignId, String agencyId, String name, String status, String actor,
        Instant occurredAt) {
}
