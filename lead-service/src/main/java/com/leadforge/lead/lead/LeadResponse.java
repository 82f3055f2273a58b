package com.leadforge.lead.lead;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A lead as the API shows it. JSON and NDJSON exports also write it with the ObjectMapper directly, from a streaming
 * body REST knows nothing about: registered for native images so an export never depends on another endpoint.
 */
@RegisterForReflection
public record LeadResponse(UUID id, String agencyId, UUID campaignId, String firstName, String lastName, String email,
        String phone, String company, String title, String linkedinUrl, String source, LeadStatus status,
        QualificationStatus qualificationStatus, String qualificationReason, LeadPriority priority, int score,
        Map<String, Object> metadata, String createdBy, String assignedTo, Instant lastContactedAt,
        Instant lastRespondedAt, Instant qualifiedAt, boolean consentGiven, Instant consentAt, boolean doNotContact,
        Instant erasedAt, Instant createdAt, Instant updatedAt) {

    public static LeadResponse of(Lead lead) {
        return new LeadResponse(lead.id, lead.agencyId, lead.campaignId, lead.firstName, lead.lastName, lead.email,
                lead.phone, lead.company, lead.title, lead.linkedinUrl, lead.source, lead.status,
                lead.qualificationStatus, lead.qualificationReason, lead.priority, lead.score, lead.metadata,
                lead.createdBy, lead.assignedTo, lead.lastContactedAt, lead.lastRespondedAt, lead.qualifiedAt,
                lead.consentGiven, lead.consentAt, lead.doNotContact, lead.erasedAt, lead.createdAt, lead.updatedAt);
    }
}
