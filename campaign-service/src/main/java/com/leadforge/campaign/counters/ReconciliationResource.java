package com.leadforge.campaign.counters;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.leadforge.shared.tenancy.Roles;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Admin tool: recompute the agency's campaign counters from the lead event log and report what was wrong. */
@Path("/api/v1/campaigns/reconcile")
@Tag(name = "Campaign counters")
@Produces(MediaType.APPLICATION_JSON)
public class ReconciliationResource {

    private final ReconciliationService reconciliation;

    public ReconciliationResource(ReconciliationService reconciliation) {
        this.reconciliation = reconciliation;
    }

    @POST
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN })
    public ReconciliationService.Report reconcile() {
        return reconciliation.reconcile();
    }
}
