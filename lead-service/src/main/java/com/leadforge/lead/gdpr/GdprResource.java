package com.leadforge.lead.gdpr;

import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.leadforge.lead.lead.LeadResponse;
import com.leadforge.shared.tenancy.Roles;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** GDPR requests are the agency admin's: they concern the person's rights, not day-to-day research. */
@Path("/api/v1/leads")
@Tag(name = "Leads")
@Produces(MediaType.APPLICATION_JSON)
public class GdprResource {

    private final GdprService gdpr;

    public GdprResource(GdprService gdpr) {
        this.gdpr = gdpr;
    }

    @GET
    @Path("/{id}/gdpr-export")
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN })
    public Response export(@PathParam("id") UUID id) {
        return Response.ok(gdpr.export(id))
                .header("Content-Disposition", "attachment; filename=\"lead-" + id + "-gdpr.json\"").build();
    }

    @POST
    @Path("/{id}/erase")
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN })
    public LeadResponse erase(@PathParam("id") UUID id) {
        return LeadResponse.of(gdpr.erase(id));
    }
}
