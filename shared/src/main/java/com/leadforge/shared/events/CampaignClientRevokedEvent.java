package com.leadforge.shared.events;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Data of {@link EventType#CAMPAIGN_CLIENT_REVOKED}: the campaign is no longer shared with the client user
 * {@code userId}. {@code reason} is {@value #REVOKED} (an admin removed the grant) or {@value #CAMPAIGN_DELETED} (the
 * campaign was deleted, which drops its grants). {@code version}: as in {@link CampaignClientGrantedEvent}.
 */
@RegisterForReflection
public record CampaignClientRevokedEvent(UUID campaignId, String agencyId, String userId, Long version, String reason,
        String actor, Instant occurredAt) {

    public static final String REVOKED = "revoked";
    public static final String CAMPAIGN_DELETED = "campaign_deleted";
}
