package com.leadforge.shared.tenancy;

import java.util.Optional;

import com.leadforge.shared.problem.ProblemException;

import jakarta.enterprise.context.RequestScoped;

/**
 * The agency (tenant) and actor of the current unit of work: an HTTP request (set from the verified token by
 * {@link CallerTenantFilter}) or one consumed event (set from its {@code ce_agencyid}). Hibernate's tenant resolver
 * reads it, so every query on an agency-owned entity is filtered by it.
 */
@RequestScoped
public class TenantContext {

    private String agencyId;
    private String actor;

    public void enter(String agencyId, String actor) {
        if (this.agencyId != null && !this.agencyId.equals(agencyId)) {
            throw new IllegalStateException("Tenant already set for this unit of work");
        }
        this.agencyId = AgencyId.normalise(agencyId);
        this.actor = actor;
    }

    public Optional<String> agencyId() {
        return Optional.ofNullable(agencyId);
    }

    /** The agency, or a 403 problem when the unit of work has none (it must never fall back to a default). */
    public String requireAgencyId() {
        if (agencyId == null) {
            throw ProblemException.forbidden("No agency is associated with this request");
        }
        return agencyId;
    }

    public String actor() {
        return actor == null ? "system" : actor;
    }
}
