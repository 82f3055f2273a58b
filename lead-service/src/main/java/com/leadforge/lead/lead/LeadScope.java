package com.leadforge.lead.lead;

import java.util.Optional;

import com.leadforge.shared.tenancy.CallerScope;
import com.leadforge.shared.tenancy.TenantContext;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The leads the caller may read, for every lead read of the API: the whole agency, or for a caller whose only role is
 * {@code client} the leads of the campaigns granted to its token subject (lead-service learns grants from campaign
 * events, see {@code ClientGrantProjection}). The restriction is part of the SQL itself, so lists, counts, cursors,
 * search and export can never show more than a single read does.
 */
@ApplicationScoped
public class LeadScope {

    /** HQL restriction of {@link Lead} to the campaigns granted to {@code :subject}. */
    static final String GRANTED_CAMPAIGNS = "campaignId in (select g.id.campaignId from ClientCampaignGrant g"
            + " where g.id.userId = :subject and g.granted = true)";

    private final TenantContext tenant;
    private final CallerScope caller;

    public LeadScope(TenantContext tenant, CallerScope caller) {
        this.tenant = tenant;
        this.caller = caller;
    }

    /** The list/search/export query of the caller's agency, limited to what the caller may read. */
    public LeadQuery query(LeadFilter filter, String sortBy, String sortOrder) {
        LeadQuery query = new LeadQuery(tenant.requireAgencyId(), filter, sortBy, sortOrder);
        caller.grantedSubjectOnly().ifPresent(query::onlyGrantedTo);
        return query;
    }

    /** The client subject whose grants limit single-lead reads, or empty for the whole agency. */
    public Optional<String> grantedSubjectOnly() {
        return caller.grantedSubjectOnly();
    }
}
