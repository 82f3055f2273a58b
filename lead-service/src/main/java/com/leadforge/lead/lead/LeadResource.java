package com.leadforge.lead.lead;

import java.util.Set;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leadforge.shared.api.PageRequest;
import com.leadforge.shared.problem.RequiredBody;
import com.leadforge.shared.tenancy.Roles;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Leads. Roles: agency_admin everything; researcher creates, reads and updates (no delete, erase or merge); client
 * reads the leads of the campaigns granted to it ({@link LeadScope}); super_admin acts on the agency in X-Agency-Id
 * (CallerTenantFilter).
 */
@Path("/api/v1/leads")
@Tag(name = "Leads")
@Produces(MediaType.APPLICATION_JSON)
public class LeadResource {

    static final Set<String> ALL_FIELDS = Set.of("first_name", "last_name", "email", "phone", "company", "title",
            "linkedin_url", "source", "campaign_id", "priority", "status", "metadata", "consent_given",
            "do_not_contact");

    private final LeadService leads;
    private final LeadReader reader;
    private final LeadScope scope;
    private final JsonBodies bodies;

    public LeadResource(LeadService leads, LeadReader reader, LeadScope scope, JsonBodies bodies) {
        this.leads = leads;
        this.reader = reader;
        this.scope = scope;
        this.bodies = bodies;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN, Roles.RESEARCHER })
    public Response create(@RequiredBody @Valid CreateLeadRequest request,
            @QueryParam("onDuplicate") @DefaultValue("reject") @Pattern(regexp = "reject|merge",
                    message = "must be reject or merge") String onDuplicate) {
        var result = leads.create(request, "merge".equals(onDuplicate) ? LeadService.OnDuplicate.MERGE
                : LeadService.OnDuplicate.REJECT);
        if (!result.created()) {
            return Response.ok(LeadResponse.of(result.lead())).build();
        }
        // A path, not an absolute URI: behind the gateway this service's own host name means nothing to clients.
        return Response.status(Response.Status.CREATED).header("Location", "/api/v1/leads/" + result.lead().id)
                .entity(LeadResponse.of(result.lead())).build();
    }

    /** Offset pages ({@code page}, {@code pageSize}, with total) or keyset pages ({@code cursor}, {@code paging}). */
    @GET
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN, Roles.RESEARCHER, Roles.CLIENT })
    public Object list(@Valid @BeanParam PageRequest page, @Valid @BeanParam LeadFilter filter,
            @Valid @BeanParam LeadSort sort) {
        LeadQuery query = scope.query(filter, sort.sortBy, sort.sortOrder);
        if (sort.keyset()) {
            if (!LeadQuery.KEYSET_COLUMNS.contains(sort.sortBy)) {
                throw com.leadforge.lead.normalise.ContactNormaliser.invalid("sortBy",
                        "cursor paging supports created_at, updated_at and score");
            }
            return reader.keyset(query, sort, page.pageSize());
        }
        return reader.page(query, page);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN, Roles.RESEARCHER, Roles.CLIENT })
    public LeadResponse get(@PathParam("id") UUID id) {
        return LeadResponse.of(leads.get(id));
    }

    /** Replaces every editable field; a field left out is cleared. */
    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN, Roles.RESEARCHER })
    public LeadResponse replace(@PathParam("id") UUID id, @RequiredBody @Valid UpdateLeadRequest request) {
        return LeadResponse.of(leads.update(id, request, ALL_FIELDS));
    }

    /** Changes only the members sent ({@code null} clears). */
    @PATCH
    @Path("/{id}")
    @Consumes({ MediaType.APPLICATION_JSON, "application/merge-patch+json" })
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN, Roles.RESEARCHER })
    public LeadResponse patch(@PathParam("id") UUID id,
            @org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(content = @org.eclipse.microprofile.openapi.annotations.media.Content(
                    schema = @org.eclipse.microprofile.openapi.annotations.media.Schema(implementation = UpdateLeadRequest.class)))
            @RequiredBody ObjectNode body) {
        var partial = bodies.partial(body, UpdateLeadRequest.class, "");
        return LeadResponse.of(leads.update(id, partial.value(), partial.present()));
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN })
    public Response delete(@PathParam("id") UUID id) {
        leads.delete(id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/qualify")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN, Roles.RESEARCHER })
    public LeadResponse qualify(@PathParam("id") UUID id, @RequiredBody @Valid ActionRequests.Qualify request) {
        return LeadResponse.of(leads.qualify(id, request));
    }

    @POST
    @Path("/{id}/assign")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN, Roles.RESEARCHER })
    public LeadResponse assign(@PathParam("id") UUID id, @RequiredBody @Valid ActionRequests.Assign request) {
        return LeadResponse.of(leads.assign(id, request));
    }

    @POST
    @Path("/{id}/contact")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN, Roles.RESEARCHER })
    public LeadResponse contact(@PathParam("id") UUID id, @RequiredBody @Valid ActionRequests.Contact request) {
        return LeadResponse.of(leads.contact(id, request));
    }

    @POST
    @Path("/bulk-update")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN, Roles.RESEARCHER })
    public ActionRequests.BulkResult bulkUpdate(@RequiredBody @Valid ActionRequests.BulkUpdate request) {
        var fields = bodies.partial(request.updates(), ActionRequests.BulkFields.class, "updates.");
        if (fields.present().isEmpty()) {
            throw com.leadforge.lead.normalise.ContactNormaliser.invalid("updates", "must name at least one field");
        }
        return leads.bulkUpdate(request.leadIds(), fields.value(), fields.present());
    }
}
