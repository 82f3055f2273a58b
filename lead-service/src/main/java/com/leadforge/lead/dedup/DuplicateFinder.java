package com.leadforge.lead.dedup;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.leadforge.lead.lead.Lead;
import com.leadforge.shared.tenancy.TenantContext;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Finds a live lead of the current agency (tenant filter) sharing a normalised identifier. Equality on stored,
 * normalised values keeps this an index lookup ({@code lead_agency_email_idx} etc.).
 */
@ApplicationScoped
public class DuplicateFinder {

    private final TenantContext tenant;

    public DuplicateFinder(TenantContext tenant) {
        this.tenant = tenant;
    }

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

    /**
     * The live leads of the current agency holding any of these normalised identifiers, read with one query per
     * identifier kind, for checking many new leads at once by the same rule as {@link #find} (see {@link Known}).
     */
    public Known known(Collection<String> emails, Collection<String> phones, Collection<String> linkedinUrls) {
        String agencyId = tenant.requireAgencyId();
        if (emails.isEmpty() && phones.isEmpty() && linkedinUrls.isEmpty()) {
            return new Known(new HashMap<>(), new HashMap<>(), new HashMap<>());
        }
        var entityManager = Lead.getEntityManager();
        // Planned for the values at hand, never from a cached generic plan: the generic plan cannot know how many
        // values there are and, while the table's statistics lag behind an agency's first big import, may pair every
        // value with every lead of the agency. See holders().
        entityManager.createNativeQuery("select set_config('plan_cache_mode', 'force_custom_plan', true)")
                .getSingleResult();
        Known known = new Known(holders(agencyId, "email", emails), holders(agencyId, "phone", phones),
                holders(agencyId, "linkedin_url", linkedinUrls));
        // (After a failure the transaction rolls back, and the setting with it.)
        entityManager.createNativeQuery("select set_config('plan_cache_mode', 'auto', true)").getSingleResult();
        return known;
    }

    private static Map<String, UUID> holders(String agencyId, String column, Collection<String> values) {
        Map<String, UUID> holders = new HashMap<>();
        if (values.isEmpty()) {
            return holders;
        }
        // The values travel as one array joined to the lead table: one statement whatever the batch size, which the
        // planner runs as one index probe per value when it knows the agency's leads are many, and as one pass over
        // them with the values hashed when its statistics say they are few (a new agency's first import): never worse
        // than linear in either. The agency predicate is explicit as in every native lead statement (the lead table
        // has no read policy, V3); "is not null" admits the partial unique index (V5), which makes each value belong
        // to at most one live lead of the agency.
        @SuppressWarnings("unchecked")
        List<Object[]> rows = Lead.getEntityManager().createNativeQuery("select l." + column + ", l.id"
                + " from unnest(:values) as v(value) join lead l on l." + column + " = v.value"
                + " where l.agency_id = :agency and l.deleted_at is null and l." + column + " is not null")
                .setParameter("agency", agencyId)
                .setParameter("values", values.toArray(String[]::new))
                .getResultList();
        for (Object[] row : rows) {
            holders.put((String) row[0], (UUID) row[1]);
        }
        return holders;
    }

    /**
     * Identifiers already taken in the agency, growing as new leads are accepted: {@link #match} answers what
     * {@link #find} would answer if every lead {@link #remember remembered} so far had been stored already.
     */
    public static final class Known {
        private final Map<String, UUID> emails;
        private final Map<String, UUID> phones;
        private final Map<String, UUID> linkedinUrls;

        Known(Map<String, UUID> emails, Map<String, UUID> phones, Map<String, UUID> linkedinUrls) {
            this.emails = emails;
            this.phones = phones;
            this.linkedinUrls = linkedinUrls;
        }

        /** The lead holding one of these identifiers, checked in {@link #find}'s order: email, LinkedIn, phone. */
        public Optional<Match> match(String email, String phone, String linkedinUrl) {
            if (email != null && emails.containsKey(email)) {
                return Optional.of(new Match(emails.get(email), "email"));
            }
            if (linkedinUrl != null && linkedinUrls.containsKey(linkedinUrl)) {
                return Optional.of(new Match(linkedinUrls.get(linkedinUrl), "linkedin_url"));
            }
            if (phone != null && phones.containsKey(phone)) {
                return Optional.of(new Match(phones.get(phone), "phone"));
            }
            return Optional.empty();
        }

        /** A new lead now holds its identifiers: later ones sharing any of them are its duplicates. */
        public void remember(Lead lead) {
            if (lead.email != null) {
                emails.putIfAbsent(lead.email, lead.id);
            }
            if (lead.phone != null) {
                phones.putIfAbsent(lead.phone, lead.id);
            }
            if (lead.linkedinUrl != null) {
                linkedinUrls.putIfAbsent(lead.linkedinUrl, lead.id);
            }
        }
    }
}
