package com.leadforge.lead.activity;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

public record ActivityResponse(UUID id, UUID leadId, String action, Map<String, Object> changes, String actor,
        String ip, String userAgent, String requestId, Instant createdAt) {

    public static ActivityResponse of(LeadActivity a) {
        return new ActivityResponse(a.id, a.leadId, a.action, a.changes, a.actor, a.ip, a.userAgent, a.requestId,
                a.createdAt);
    }
}
