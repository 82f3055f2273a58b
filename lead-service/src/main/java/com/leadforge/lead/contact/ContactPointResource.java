package com.leadforge.lead.contact;

import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.leadforge.shared.problem.RequiredBody;
import com.leadforge.shared.tenancy.Roles;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/v1/leads")
@Tag(name = "Leads")
@Produces(MediaType.APPLICATION_JSON)
public class ContactPointResource {

    private final ContactPointService points;

    public ContactPointResource(ContactPointService points) {
        this.points = points;
    }

    @GET
    @Path("/{id}/contact-points")
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN, Roles.RESEARCHER, Roles.CLIENT })
    public List<ContactPointResponse> list(@PathParam("id") UUID leadId) {
        return points.list(leadId).stream().map(ContactPointResponse::of).toList();
    }

    @POST
    @Path("/{id}/contact-points")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN, Roles.RESEARCHER })
    public Response add(@PathParam("id") UUID leadId, @RequiredBody @Valid ContactPointRequest request) {
        ContactPoint point = points.add(leadId, request);
        return Response.status(Response.Status.CREATED)
                .header("Location", "/api/v1/leads/" + leadId + "/contact-points/" + point.id)
                .entity(ContactPointResponse.of(point)).build();
    }

    @PUT
    @Path("/{id}/contact-points/{pointId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN, Roles.RESEARCHER })
    public ContactPointResponse update(@PathParam("id") UUID leadId, @PathParam("pointId") UUID id,
            @RequiredBody @Valid ContactPointRequest request) {
        return ContactPointResponse.of(points.update(leadId, id, request));
    }

    @DELETE
    @Path("/{id}/contact-points/{pointId}")
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN })
    public Response delete(@PathParam("id") UUID leadId, @PathParam("pointId") UUID id) {
        points.delete(leadId, id);
        return Response.noContent().build();
    }
}
