package com.leadforge.shared.events;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Data of {@link EventType#LEAD_DELETED} (soft delete or merged away): the status and qualification status the lead
 * had, so that counters can be decremented exactly. {@code reason} is {@code deleted} or {@code merged}.
 */
@RegisterForReflection
public record LeadDeletedEvent(UUID leadId, String agencyId, UUID campaignId, String status,
        String qualificationStatus, String reason, UUID mergedIntoId, String actor, Instant occurredAt,
        LeadSnapshot lead) {
}
