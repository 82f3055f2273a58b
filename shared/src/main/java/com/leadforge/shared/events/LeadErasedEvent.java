package com.leadforge.shared.events;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Data of {@link EventType#LEAD_ERASED}: the person's data was anonymised (GDPR). The lead keeps its status and
 * campaign, so aggregates stay valid; consumers holding personal data about the lead must drop it.
 */
@RegisterForReflection
public record LeadErasedEvent(UUID leadId, String agencyId, UUID campaignId, String actor, Instant occurredAt,
        LeadSnapshot lead) {
}
