package com.leadforge.campaign.access;

import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.leadforge.shared.api.Page;
import com.leadforge.shared.api.PageRequest;
import com.leadforge.shared.tenancy.Roles;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Which client users may read a campaign. The client is named by its token subject ({@code sub}), the only stable
 * user id every token carries; only agency admins (and super admins acting on the agency) manage grants.
 */
@Path("/api/v1/campaigns/{id}/clients")
@Tag(name = "Campaign access")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN })
public class CampaignClientResource {

    /** Keycloak subjects are UUIDs; other issuers' subjects are short opaque ids. Nothing else is accepted. */
    static final String SUBJECT = "[A-Za-z0-9._:@-]{1,64}";

    private final ClientGrantService grants;

    public CampaignClientResource(ClientGrantService grants) {
        this.grants = grants;
    }

    @GET
    public Page<ClientGrantService.GrantResponse> list(@PathParam("id") UUID id, @Valid @BeanParam PageRequest page) {
        return grants.list(id, page);
    }

    /** 201 when the campaign is newly shared with the user, 204 when it already was. */
    @PUT
    @Path("/{userId}")
    public Response grant(@PathParam("id") UUID id,
            @PathParam("userId") @Pattern(regexp = SUBJECT, message = "must be a user id (token sub)") String userId) {
        return Response.status(grants.grant(id, userId) ? Response.Status.CREATED : Response.Status.NO_CONTENT).build();
    }

    @DELETE
    @Path("/{userId}")
    public Response revoke(@PathParam("id") UUID id,
            @PathParam("userId") @Pattern(regexp = SUBJECT, message = "must be a user id (token sub)") String userId) {
        grants.revoke(id, userId);
        return Response.noContent().build();
    }
}
