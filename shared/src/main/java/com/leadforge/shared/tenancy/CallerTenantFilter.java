package com.leadforge.shared.tenancy;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.leadforge.shared.problem.ProblemException;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * Derives the agency of an authenticated request from the verified token, never from the request: the
 * {@value Roles#AGENCY_CLAIM} claim for everyone, and for super_admin only the agency it names explicitly in
 * {@value Roles#ACTING_AGENCY_HEADER}. Anonymous requests pass through; the endpoint's security annotations reject them.
 */
@Provider
@Priority(Priorities.AUTHORIZATION + 10)
public class CallerTenantFilter implements ContainerRequestFilter {

    static final String OPERATOR_PATH = "/admin/";

    private final SecurityIdentity identity;
    private final TenantContext tenantContext;

    public CallerTenantFilter(SecurityIdentity identity, TenantContext tenantContext) {
        this.identity = identity;
        this.tenantContext = tenantContext;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return;
        }
        if (request.getUriInfo().getPath().startsWith(OPERATOR_PATH)) {
            // Platform-wide operator endpoints (super_admin only, never routed by the gateway) act on no agency:
            // whatever they do per agency runs in units of work of their own with that agency as tenant.
            return;
        }
        String requested = request.getHeaderString(Roles.ACTING_AGENCY_HEADER);
        String actor = token.getSubject() != null ? token.getSubject() : token.getName();
        if (identity.hasRole(Roles.SUPER_ADMIN)) {
            if (requested == null || requested.isBlank()) {
                throw ProblemException.agencyRequired();
            }
            if (!AgencyId.isValid(requested)) {
                throw ProblemException.badRequest(Roles.ACTING_AGENCY_HEADER + " must be an agency id (UUID)");
            }
            tenantContext.enter(requested, actor);
            return;
        }
        Object claim = token.getClaim(Roles.AGENCY_CLAIM);
        String agency = claim == null ? null : claim.toString().replace("\"", "");
        if (!AgencyId.isValid(agency)) {
            throw ProblemException.forbidden("The token carries no valid " + Roles.AGENCY_CLAIM + " claim");
        }
        if (requested != null && !AgencyId.normalise(requested).equals(AgencyId.normalise(agency))) {
            throw ProblemException.forbidden("Only a super_admin may act on another agency");
        }
        tenantContext.enter(agency, actor);
    }
}
