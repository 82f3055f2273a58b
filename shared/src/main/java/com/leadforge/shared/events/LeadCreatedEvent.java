package com.leadforge.shared.events;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Data of {@link EventType#LEAD_CREATED}. Carries no personal data beyond what consumers need to count and link. */
@RegisterForReflection
public record LeadCreatedEvent(UUID leadId, String agencyId, UUID campaignId, String status, String qualificationStatus,
        String source, String actor, Instant createdAt) {
}
