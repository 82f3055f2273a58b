package com.leadforge.shared.events;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Data of {@link EventType#CAMPAIGN_STATUS_CHANGED}. {@code reason} is {@code update} for a transition asked for
 * through the API, or {@code force_delete} when deleting a campaign that still has leads archived it instead.
 */
@RegisterForReflection
public record CampaignStatusChangedEvent(UUID campaignId, String agencyId, String oldStatus, String newStatus,
        String reason, String actor, Instant occurredAt) {
}
