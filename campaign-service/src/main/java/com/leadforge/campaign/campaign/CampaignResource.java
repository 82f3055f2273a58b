package com.leadforge.campaign.campaign;

import java.util.Optional;
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
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Campaigns of the caller's agency. Agency admins manage them; researchers read them all; a client reads only the
 * campaigns shared with it ({@code /api/v1/campaigns/{id}/clients}).
 */
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

    /** The seed API's spelling of create, kept so that its clients keep working. */
    @POST
    @Path("/create")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN })
    public Response createAlias(@RequiredBody @Valid CreateCampaignRequest request) {
        return create(request);
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

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN })
    public CampaignResponse update(@PathParam("id") UUID id, @RequiredBody @Valid UpdateCampaignRequest request) {
        return CampaignResponse.of(campaigns.update(id, request));
    }

    /** 204 when deleted; 200 with the campaign when {@code force=true} archived it because it has leads. */
    @DELETE
    @Path("/{id}")
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN })
    public Response delete(@PathParam("id") UUID id, @QueryParam("force") @DefaultValue("false") boolean force) {
        Optional<Campaign> archived = campaigns.delete(id, force);
        return archived.map(campaign -> Response.ok(CampaignResponse.of(campaign)).build())
                .orElseGet(() -> Response.noContent().build());
    }
}
