package com.leadforge.shared.events;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The state of a lead after the change an event describes, carried by every lead event under {@code lead}. Consumers
 * that keep per-lead projections (campaign counters, analytics) apply a snapshot only when its {@code version} is
 * newer than the one they hold, which makes them exact under duplicate and out-of-order delivery.
 *
 * @param version the lead's optimistic-lock version; strictly increases with every change of the lead
 * @param contacted whether the lead was ever contacted ({@code last_contacted_at} set)
 * @param responded whether the lead ever responded ({@code last_responded_at} set)
 * @param deleted soft-deleted, merged into another lead, or erased: it no longer counts anywhere
 */
@RegisterForReflection
public record LeadSnapshot(UUID leadId, String agencyId, UUID campaignId, String status, String qualificationStatus,
        boolean contacted, boolean responded, boolean deleted, long version, Instant changedAt) {
}
