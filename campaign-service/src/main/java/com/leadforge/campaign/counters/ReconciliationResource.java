package com.leadforge.campaign.counters;

import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.leadforge.shared.problem.ProblemException;
import com.leadforge.shared.tenancy.Roles;
import com.leadforge.shared.tenancy.TenantContext;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Admin tool: recompute the agency's campaign counters from the lead event log and report what was wrong. Starting
 * one answers 202 at once with the run's status and its {@code Location}; the report is read from there when done.
 */
@Path("/api/v1/campaigns/reconcile")
@Tag(name = "Campaign counters")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN })
public class ReconciliationResource {

    private final ReconciliationRuns runs;
    private final TenantContext tenant;

    public ReconciliationResource(ReconciliationRuns runs, TenantContext tenant) {
        this.runs = runs;
        this.tenant = tenant;
    }

    /** 202 with the new run — or with the agency's run already going; 409 while another agency's runs. */
    @POST
    public Response reconcile() {
        ReconciliationRuns.Started started = runs.start(tenant.requireAgencyId(), tenant.actor());
        ReconciliationRun run = started.run();
        // A path, not an absolute URI: behind the gateway this service's own host name means nothing to clients.
        return Response.accepted(run.status()).header("Location", run.location()).build();
    }

    @GET
    @Path("/{id}")
    public ReconciliationRun.Status status(@PathParam("id") UUID id) {
        return runs.find(id, tenant.requireAgencyId()).map(ReconciliationRun::status)
                .orElseThrow(() -> ProblemException.notFound("Reconciliation", id));
    }
}
