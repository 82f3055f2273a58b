package com.leadforge.shared.events;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Data of {@link EventType#LEAD_CONTACTED}: one outreach touch and the status it left the lead in. */
@RegisterForReflection
public record LeadContactedEvent(UUID leadId, String agencyId, UUID campaignId, String channel, String outcome,
        String oldStatus, String newStatus, Instant contactedAt, String actor, Instant occurredAt,
        LeadSnapshot lead) {
}
