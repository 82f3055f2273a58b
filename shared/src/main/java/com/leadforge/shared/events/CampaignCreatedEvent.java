package com.leadforge.shared.events;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Data of {@link EventType#CAMPAIGN_CREATED}. */
@RegisterForReflection
public record CampaignCreatedEvent(UUID campaignId, String agencyId, String name, String status, String actor,
        Instant createdAt) {
}
