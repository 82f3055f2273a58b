package com.leadforge.shared.events;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Data of {@link EventType#LEAD_ASSIGNED}: user ids (token subjects), {@code null} meaning unassigned. */
@RegisterForReflection
public record LeadAssignedEvent(UUID leadId, String agencyId, UUID campaignId, String oldAssignee,
        String newAssignee, String actor, Instant occurredAt, LeadSnapshot lead) {
}
