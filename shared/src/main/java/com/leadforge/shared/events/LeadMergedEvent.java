package com.leadforge.shared.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Data of {@link EventType#LEAD_MERGED}: {@code leadId} survives, {@code mergedLeadIds} were folded into it. Each
 * merged lead also gets its own {@link EventType#LEAD_DELETED} (reason {@code merged}), so counters need no special
 * case for merges.
 */
@RegisterForReflection
public record LeadMergedEvent(UUID leadId, String agencyId, UUID campaignId, List<UUID> mergedLeadIds,
        List<String> changedFields, String actor, Instant occurredAt, LeadSnapshot lead) {
}
