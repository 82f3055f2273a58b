package com.leadforge.lead.contact;

import java.time.Instant;
import java.util.UUID;

public record ContactPointResponse(UUID id, UUID leadId, String type, String value, boolean isPrimary,
        boolean isVerified, Instant createdAt, Instant updatedAt) {

    public static ContactPointResponse of(ContactPoint c) {
        return new ContactPointResponse(c.id, c.leadId, c.type, c.value, c.primary, c.verified, c.createdAt,
                c.updatedAt);
    }
}
