package com.leadforge.lead.lead;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The editable state of a lead as plain JSON values. Every mutation takes one before and one after; their difference
 * is what the activity log records (old and new values) and what {@code lead.updated} names.
 */
public final class LeadState {

    public static Map<String, Object> of(Lead lead) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("first_name", lead.firstName);
        s.put("last_name", lead.lastName);
        s.put("email", lead.email);
        s.put("phone", lead.phone);
        s.put("company", lead.company);
        s.put("title", lead.title);
        s.put("linkedin_url", lead.linkedinUrl);
        s.put("source", lead.source);
        s.put("campaign_id", str(lead.campaignId));
        s.put("status", lead.status == null ? null : lead.status.code());
        s.put("qualification_status", lead.qualificationStatus == null ? null : lead.qualificationStatus.code());
        s.put("qualification_reason", lead.qualificationReason);
        s.put("qualified_at", str(lead.qualifiedAt));
        s.put("priority", lead.priority == null ? null : lead.priority.code());
        s.put("score", (int) lead.score);
        s.put("assigned_to", lead.assignedTo);
        s.put("metadata", lead.metadata == null ? Map.of() : Map.copyOf(lead.metadata));
        s.put("consent_given", lead.consentGiven);
        s.put("consent_at", str(lead.consentAt));
        s.put("do_not_contact", lead.doNotContact);
        s.put("last_contacted_at", str(lead.lastContactedAt));
        s.put("last_responded_at", str(lead.lastRespondedAt));
        return s;
    }

    /** {@code {"field": {"old": x, "new": y}}} for every field whose value differs. */
    public static Map<String, Object> diff(Map<String, Object> before, Map<String, Object> after) {
        Map<String, Object> diff = new LinkedHashMap<>();
        for (var entry : after.entrySet()) {
            Object old = before.get(entry.getKey());
            if (!Objects.equals(old, entry.getValue())) {
                Map<String, Object> change = new LinkedHashMap<>();
                change.put("old", old);
                change.put("new", entry.getValue());
                diff.put(entry.getKey(), change);
            }
        }
        return diff;
    }

    private static String str(Object value) {
        return value == null ? null : value.toString();
    }

    private LeadState() {
    }
}
