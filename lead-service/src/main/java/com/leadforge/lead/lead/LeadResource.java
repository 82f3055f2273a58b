package com.leadforge.lead.lead;

import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.leadforge.shared.api.Page;
import com.leadforge.shared.api.PageRequest;
import com.leadforge.shared.problem.RequiredBody;
import com.leadforge.shared.tenancy.Roles;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/v1/leads")
@Tag(name = "Leads")
@Produces(MediaType.APPLICATION_JSON)
public class LeadResource {

    private final LeadService leads;

    public LeadResource(LeadService leads) {
        this.leads = leads;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN, Roles.RESEARCHER })
    public Response create(@RequiredBody @Valid CreateLeadRequest request) {
        Lead lead = leads.create(request);
        // A path, not an absolute URI: behind the gateway this service's own host name means nothing to clients.
        return Response.status(Response.Status.CREATED).header("Location", "/api/v1/leads/" + lead.id)
                .entity(LeadResponse.of(lead)).build();
    }

    @GET
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN, Roles.RESEARCHER, Roles.CLIENT })
    public Page<LeadResponse> list(@Valid @BeanParam PageRequest page) {
        return leads.list(page);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN, Roles.RESEARCHER, Roles.CLIENT })
    public LeadResponse get(@PathParam("id") UUID id) {
        return LeadResponse.of(leads.get(id));
    }
}
