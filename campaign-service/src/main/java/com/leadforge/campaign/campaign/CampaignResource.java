package com.leadforge.campaign.campaign;

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

@Path("/api/v1/campaigns")
@Tag(name = "Campaigns")
@Produces(MediaType.APPLICATION_JSON)
public class CampaignResource {

    private final CampaignService campaigns;

    public CampaignResource(CampaignService campaigns) {
        this.campaigns = campaigns;
    }

    /** Researchers and clients work inside campaigns but do not create them. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN })
    public Response create(@RequiredBody @Valid CreateCampaignRequest request) {
        Campaign campaign = campaigns.create(request);
        // A path, not an absolute URI: behind the gateway this service's own host name means nothing to clients.
        return Response.status(Response.Status.CREATED).header("Location", "/api/v1/campaigns/" + campaign.id)
                .entity(CampaignResponse.of(campaign)).build();
    }

    @GET
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN, Roles.RESEARCHER, Roles.CLIENT })
    public Page<CampaignResponse> list(@Valid @BeanParam CampaignFilter filter, @Valid @BeanParam PageRequest page) {
        return campaigns.list(filter, page);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN, Roles.RESEARCHER, Roles.CLIENT })
    public CampaignResponse get(@PathParam("id") UUID id) {
        return CampaignResponse.of(campaigns.get(id));
    }
}
