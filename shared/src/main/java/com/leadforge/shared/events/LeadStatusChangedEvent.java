package com.leadforge.shared.events;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Data of {@link EventType#LEAD_STATUS_CHANGED}, {@link EventType#LEAD_QUALIFIED} and
 * {@link EventType#LEAD_DISQUALIFIED}. Carries old and new values of both status and qualification status (and the
 * campaign before and after), so that a consumer can move a lead between counters exactly: decrement the old bucket,
 * increment the new one.
 */
@RegisterForReflection
public record LeadStatusChangedEvent(UUID leadId, String agencyId, UUID campaignId, UUID oldCampaignId,
        String oldStatus, String newStatus, String oldQualificationStatus, String newQualificationStatus,
        String reason, String actor, Instant occurredAt, LeadSnapshot lead) {
}
