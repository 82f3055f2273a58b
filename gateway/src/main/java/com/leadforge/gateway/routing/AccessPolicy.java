package com.leadforge.gateway.routing;

import java.util.Optional;
import java.util.Set;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.leadforge.shared.problem.ProblemType;
import com.leadforge.shared.tenancy.AgencyId;
import com.leadforge.shared.tenancy.Roles;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpMethod;
import jakarta.inject.Singleton;

/**
 * The gateway's coarse-grained check, made before any request reaches a service: a LeadForge role, an agency the
 * caller may act on, and read-only access for clients. Services repeat the fine-grained checks themselves.
 */
@Singleton
public class AccessPolicy {

    public record Refusal(ProblemType type, String detail) {
    }

    private static final Set<String> PLATFORM_ROLES = Set.of(Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN, Roles.RESEARCHER,
            Roles.CLIENT);
    private static final Set<HttpMethod> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    public Optional<Refusal> check(SecurityIdentity identity, HttpMethod method, String actingAgencyHeader) {
        if (identity == null || identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Optional.of(new Refusal(ProblemType.UNAUTHORIZED, "A valid bearer token is required"));
        }
        if (identity.getRoles().stream().noneMatch(PLATFORM_ROLES::contains)) {
            return Optional.of(new Refusal(ProblemType.FORBIDDEN, "The token carries no LeadForge role"));
        }
        if (identity.hasRole(Roles.SUPER_ADMIN)) {
            if (actingAgencyHeader == null || actingAgencyHeader.isBlank()) {
                return Optional.of(new Refusal(ProblemType.AGENCY_REQUIRED,
                        "A super_admin must name the agency it acts on in the " + Roles.ACTING_AGENCY_HEADER + " header"));
            }
            if (!AgencyId.isValid(actingAgencyHeader)) {
                return Optional.of(new Refusal(ProblemType.MALFORMED_REQUEST,
                        Roles.ACTING_AGENCY_HEADER + " must be an agency id (UUID)"));
            }
            return Optional.empty();
        }
        Object claim = token.getClaim(Roles.AGENCY_CLAIM);
        String agency = claim == null ? null : claim.toString().replace("\"", "");
        if (!AgencyId.isValid(agency)) {
            return Optional.of(new Refusal(ProblemType.FORBIDDEN,
                    "The token carries no valid " + Roles.AGENCY_CLAIM + " claim"));
        }
        if (actingAgencyHeader != null && !AgencyId.normalise(actingAgencyHeader).equals(AgencyId.normalise(agency))) {
            return Optional.of(new Refusal(ProblemType.FORBIDDEN, "Only a super_admin may act on another agency"));
        }
        boolean onlyClient = !identity.hasRole(Roles.AGENCY_ADMIN) && !identity.hasRole(Roles.RESEARCHER);
        if (onlyClient && !READS.contains(method)) {
            return Optional.of(new Refusal(ProblemType.FORBIDDEN, "The client role is read-only"));
        }
        return Optional.empty();
    }
}
