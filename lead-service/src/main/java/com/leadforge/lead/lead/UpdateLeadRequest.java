package com.leadforge.lead.lead;

import java.util.Map;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code PUT /leads/{id}} (every field; an absent one is cleared, except that an absent status is kept and
 * an absent priority becomes medium) and {@code PATCH /leads/{id}} (only the members sent). Qualification and
 * assignment have their own endpoints, because they carry their own events. The endpoints take a JSON tree and
 * convert it ({@link JsonBodies}), so REST does not see this type: it is registered for native images by hand.
 */
@RegisterForReflection
public record UpdateLeadRequest(
        @Size(max = 100) String firstName,
        @Size(max = 100) String lastName,
        @Email @Size(max = 320) String email,
        @Pattern(regexp = "\\+?[0-9 ()./-]{5,32}", message = "must be a phone number") String phone,
        @Size(max = 200) String company,
        @Size(max = 200) String title,
        @Pattern(regexp = "(?i)https?://([a-z]{2,3}\\.)?linkedin\\.com/.{1,400}", message = "must be a LinkedIn URL")
        String linkedinUrl,
        @Size(max = 100) String source,
        UUID campaignId,
        LeadPriority priority,
        LeadStatus status,
        @Size(max = 50, message = "may hold at most 50 keys") Map<String, Object> metadata,
        Boolean consentGiven,
        Boolean doNotContact) {
}
