package com.leadforge.analytics.rebuild;

import java.net.URI;
import java.util.UUID;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.leadforge.shared.problem.ProblemException;
import com.leadforge.shared.tenancy.Roles;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Operator endpoint (super_admin, platform-wide like {@code /admin/dead-letters}: on the service's own port, not
 * routed by the gateway): start a rebuild of every analytics read model, follow its progress, cancel it.
 */
@Path("/admin/analytics/rebuilds")
@Tag(name = "Operations")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.SUPER_ADMIN)
@Blocking
public class RebuildResource {

    /** Optional bounds for one rebuild: records per batch and a pause between batches, to spare the database. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RebuildRequest(
            @Min(1) @Max(ReadModelRebuilds.MAX_BATCH_SIZE) Integer batchSize,
            @Min(0) @Max(10_000) Integer throttleMs) {
    }

    private final ReadModelRebuilds rebuilds;
    private final SecurityIdentity identity;

    public RebuildResource(ReadModelRebuilds rebuilds, SecurityIdentity identity) {
        this.rebuilds = rebuilds;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response start(@Valid RebuildRequest request) {
        String requestedBy = identity.getPrincipal() instanceof JsonWebToken token && token.getSubject() != null
                ? token.getSubject() : identity.getPrincipal().getName();
        RebuildStatus status = rebuilds.start(requestedBy, request == null ? null : request.batchSize(),
                request == null ? null : request.throttleMs());
        return Response.accepted(status).location(URI.create("/admin/analytics/rebuilds/" + status.id())).build();
    }

    @GET
    @Path("/latest")
    public RebuildStatus latest() {
        return rebuilds.latest().orElseThrow(() -> ProblemException.notFound("Rebuild", "latest"));
    }

    @GET
    @Path("/{id}")
    public RebuildStatus get(@PathParam("id") String id) {
        UUID rebuildId = parse(id);
        return rebuilds.find(rebuildId).orElseThrow(() -> ProblemException.notFound("Rebuild", rebuildId));
    }

    @DELETE
    @Path("/{id}")
    public Response cancel(@PathParam("id") String id) {
        return Response.accepted(rebuilds.cancel(parse(id))).build();
    }

    @POST
    @Path("/{id}/cancel")
    public Response cancelByPost(@PathParam("id") String id) {
        return cancel(id);
    }

    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("Rebuild", id);
        }
    }
}
