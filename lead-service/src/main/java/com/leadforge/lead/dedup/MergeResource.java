package com.leadforge.lead.dedup;

import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.leadforge.shared.problem.RequiredBody;
import com.leadforge.shared.tenancy.Roles;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Merging deletes the sources, so it is an agency_admin operation (researchers cannot delete). */
@Path("/api/v1/leads")
@Tag(name = "Leads")
@Produces(MediaType.APPLICATION_JSON)
public class MergeResource {

    public record MergeRequest(@NotEmpty @Size(max = 50) List<@NotNull UUID> sourceIds, Boolean dryRun) {
    }

    private final MergeService merges;

    public MergeResource(MergeService merges) {
        this.merges = merges;
    }

    @POST
    @Path("/{id}/merge")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN })
    public MergeService.MergeResult merge(@PathParam("id") UUID id, @RequiredBody @Valid MergeRequest request) {
        return merges.merge(id, request.sourceIds(), Boolean.TRUE.equals(request.dryRun()));
    }
}
