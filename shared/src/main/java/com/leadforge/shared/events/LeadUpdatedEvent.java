package com.leadforge.shared.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Data of {@link EventType#LEAD_UPDATED}: which fields changed, by name only. Values are left out on purpose: they
 * are personal data, and consumers that need them read the lead through the API.
 */
@RegisterForReflection
public record LeadUpdatedEvent(UUID leadId, String agencyId, UUID campaignId, List<String> changedFields,
        String actor, Instant occurredAt, LeadSnapshot lead) {
}
