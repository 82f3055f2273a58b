package com.leadforge.shared.events;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Data of {@link EventType#CAMPAIGN_CLIENT_GRANTED}: the campaign is now shared with the client user {@code userId} (its
 * token {@code sub}). {@code version} orders every grant change of the campaign (a database sequence taken under the
 * campaign's row lock, so it increases in commit order): a consumer keeps, per campaign and user, only the change with
 * the highest version, which makes a grant and a revoke correct in either arrival order.
 */
@RegisterForReflection
public record CampaignClientGrantedEvent(UUID campaignId, String agencyId, String userId, Long version, String actor,
        Instant occurredAt) {
}
