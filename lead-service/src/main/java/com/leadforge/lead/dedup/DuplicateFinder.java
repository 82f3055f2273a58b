package com.leadforge.lead.dedup;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.leadforge.lead.lead.Lead;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Finds a live lead of the current agency (tenant filter) sharing a normalised identifier. Equality on stored,
 * normalised values keeps this an index lookup ({@code lead_agency_email_idx} etc.).
 */
@ApplicationScoped
public class DuplicateFinder {

    public record Match(UUID leadId, String field) {
    }

    public Optional<Match> find(String email, String phone, String linkedinUrl, UUID excluding) {
        List<String[]> checks = new ArrayList<>();
        if (email != null) {
            checks.add(new String[] { "email", "email", email });
        }
        if (linkedinUrl != null) {
            checks.add(new String[] { "linkedinUrl", "linkedin_url", linkedinUrl });
        }
        if (phone != null) {
            checks.add(new String[] { "phone", "phone", phone });
        }
        for (String[] check : checks) {
            String hql = "deletedAt is null and " + check[0] + " = ?1" + (excluding == null ? "" : " and id <> ?2");
            var query = excluding == null ? Lead.<Lead>find(hql, check[2]) : Lead.<Lead>find(hql, check[2], excluding);
            Optional<Lead> found = query.firstResultOptional();
            if (found.isPresent()) {
                return Optional.of(new Match(found.get().id, check[1]));
            }
        }
        return Optional.empty();
    }
}
