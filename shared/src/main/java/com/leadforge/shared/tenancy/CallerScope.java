package com.leadforge.shared.tenancy;

import java.util.Optional;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What part of the agency the caller may read. Everyone but a client reads the whole agency; a caller whose only
 * LeadForge role is {@code client} reads only what is shared with its token subject (the campaigns granted to it, and
 * in lead-service the leads of those campaigns). A token holding client and a wider role gets the wider view (roles
 * add up, they never restrict each other). A unit of work without a caller (a consumed event) reads the agency.
 */
@ApplicationScoped
public class CallerScope {

    private final SecurityIdentity identity;
    private final TenantContext tenant;

    public CallerScope(SecurityIdentity identity, TenantContext tenant) {
        this.identity = identity;
        this.tenant = tenant;
    }

    /** The subject whose grants limit what the caller reads, or empty when the caller reads the whole agency. */
    public Optional<String> grantedSubjectOnly() {
        if (identity.isAnonymous() || !identity.hasRole(Roles.CLIENT) || identity.hasRole(Roles.SUPER_ADMIN)
                || identity.hasRole(Roles.AGENCY_ADMIN) || identity.hasRole(Roles.RESEARCHER)) {
            return Optional.empty();
        }
        return Optional.of(tenant.actor());
    }
}
