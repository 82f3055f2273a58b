package com.leadforge.shared.events;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Data of {@link EventType#LEAD_CREATED}. Carries no personal data beyond what consumers need to count and link.
 * {@code lead} (added compatibly) is the {@link LeadSnapshot} every lead event carries.
 */
@RegisterForReflection
public record LeadCreatedEvent(UUID leadId, String agencyId, UUID campaignId, String status, String qualificationStatus,
        String source, String actor, Instant createdAt, LeadSnapshot lead) {

    /** The original shape, without the snapshot (events written before snapshots existed). */
    public LeadCreatedEvent(UUID leadId, String agencyId, UUID campaignId, String status, String qualificationStatus,
            String source, String actor, Instant createdAt) {
        this(leadId, agencyId, campaignId, status, qualificationStatus, source, actor, createdAt, null);
    }
}
