package com.leadforge.lead.lead;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Bodies of the lead action endpoints. */
public final class ActionRequests {

    /** {@code POST /leads/{id}/qualify}. */
    public record Qualify(@NotNull QualificationStatus qualificationStatus,
            @Size(max = 1000) String qualificationReason) {
    }

    /** {@code POST /leads/{id}/assign}; a {@code null} user unassigns. */
    public record Assign(@Size(min = 1, max = 64) String userId) {
    }

    /** {@code POST /leads/{id}/contact}. */
    public record Contact(
            @NotBlank @Pattern(regexp = "email|phone|linkedin|sms|meeting|other",
                    message = "must be one of email, phone, linkedin, sms, meeting, other") String channel,
            @NotBlank @Pattern(regexp = "sent|no_answer|left_message|responded|bounced|not_interested",
                    message = "must be one of sent, no_answer, left_message, responded, bounced, not_interested")
            String outcome,
            @Size(max = 2000) String notes) {
    }

    /** {@code POST /leads/bulk-update}: at most 1000 ids, applied in one transaction. */
    public record BulkUpdate(@NotEmpty @Size(max = 1000) List<@NotNull UUID> leadIds, @NotNull ObjectNode updates) {
    }

    /**
     * The fields a bulk update may set (identifiers and personal data are edited one lead at a time). Converted from
     * {@link BulkUpdate#updates()} by {@link JsonBodies}, out of REST's sight: registered for native images by hand.
     */
    @RegisterForReflection
    public record BulkFields(LeadStatus status, LeadPriority priority, UUID campaignId,
            @Size(max = 100) String source, Boolean doNotContact, @Size(min = 1, max = 64) String assignedTo) {
    }

    public record BulkItem(UUID id, String result) {
    }

    public record BulkResult(int updated, int unchanged, int notFound, List<BulkItem> results) {
    }

    private ActionRequests() {
    }
}
