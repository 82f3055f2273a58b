package com.leadforge.lead.lead;

import java.util.Map;
import java.util.UUID;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /api/v1/leads}. The agency is never part of it: it comes from the caller's token. */
public record CreateLeadRequest(
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
        @Size(max = 50, message = "may hold at most 50 keys") Map<String, Object> metadata,
        Boolean consentGiven,
        Boolean doNotContact) {

    /** A lead nobody can ever reach is noise: require at least one way to identify the person. */
    @AssertTrue(message = "at least one of email, phone, linkedin_url or a name is required")
    public boolean isIdentifiable() {
        return notBlank(email) || notBlank(phone) || notBlank(linkedinUrl) || notBlank(firstName) || notBlank(lastName);
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }
}
