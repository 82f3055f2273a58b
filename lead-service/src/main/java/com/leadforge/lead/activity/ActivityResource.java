package com.leadforge.lead.activity;

import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.leadforge.lead.lead.LeadService;
import com.leadforge.shared.api.Page;
import com.leadforge.shared.api.PageRequest;
import com.leadforge.shared.tenancy.Roles;

import io.quarkus.panache.common.Sort;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * A lead's audit trail: who changed what, from which address and user agent. Staff-internal, so a client (which reads
 * only its granted campaigns' leads) is refused outright (403), whatever the lead.
 */
@Path("/api/v1/leads")
@Tag(name = "Leads")
@Produces(MediaType.APPLICATION_JSON)
public class ActivityResource {

    private final LeadService leads;

    public ActivityResource(LeadService leads) {
        this.leads = leads;
    }

    @GET
    @Path("/{id}/activity")
    @Transactional
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN, Roles.RESEARCHER })
    public Page<ActivityResponse> list(@PathParam("id") UUID id, @Valid @BeanParam PageRequest page) {
        leads.get(id); // 404 for a missing, deleted or other agency's lead
        var query = LeadActivity.<LeadActivity>find("leadId", Sort.descending("createdAt", "id"), id)
                .page(io.quarkus.panache.common.Page.of(page.page() - 1, page.pageSize()));
        List<ActivityResponse> data = query.list().stream().map(ActivityResponse::of).toList();
        return Page.of(data, query.count(), page);
    }
}
