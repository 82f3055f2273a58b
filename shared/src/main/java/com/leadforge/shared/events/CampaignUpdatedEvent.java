package com.leadforge.shared.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Data of {@link EventType#CAMPAIGN_UPDATED}: which fields of the campaign changed (snake_case names), and its name
 * after the change. A status change is announced by {@link EventType#CAMPAIGN_STATUS_CHANGED} instead.
 */
@RegisterForReflection
public record CampaignUpdatedEvent(UUID campaignId, String agencyId, String name, List<String> changedFields,
        String actor, Instant occurredAt) {
}
