package com.leadforge.analytics.overview;

import java.time.LocalDate;
import java.time.ZoneOffset;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.leadforge.shared.tenancy.Roles;
import com.leadforge.shared.tenancy.TenantContext;

import jakarta.annotation.security.RolesAllowed;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

@Path("/api/v1/analytics")
@Tag(name = "Analytics")
@Produces(MediaType.APPLICATION_JSON)
public class OverviewResource {

    private final EntityManager entityManager;
    private final TenantContext tenant;

    public OverviewResource(EntityManager entityManager, TenantContext tenant) {
        this.entityManager = entityManager;
        this.tenant = tenant;
    }

    /** A percentage with one decimal; 0 when there is nothing to divide by. */
    static double ratio(long part, long whole) {
        return whole == 0 ? 0.0 : Math.round(part * 1000.0 / whole) / 10.0;
    }

    /** The overview figures of an agency's counters, with {@code trendLeads} leads created in the asked range. */
    public static OverviewResponse.Overview of(AgencyOverview counters, long trendLeads) {
        return new OverviewResponse.Overview(
                new OverviewResponse.Campaigns(counters.campaignsTotal, counters.campaignsActive,
                        counters.campaignsTotal - counters.campaignsActive),
                new OverviewResponse.Leads(counters.leadsTotal, counters.leadsQualified, counters.leadsContacted,
                        counters.leadsResponded, ratio(counters.leadsConverted, counters.leadsTotal),
                        ratio(counters.leadsResponded, counters.leadsContacted)),
                new OverviewResponse.DataSources(counters.dataSourcesTotal, counters.dataSourcesActive,
                        counters.dataSourcesTotal - counters.dataSourcesActive),
                new OverviewResponse.Scraping(counters.jobsTotal, counters.jobsSuccessful, counters.jobsRunning,
                        counters.jobsPending, counters.recordsScraped),
                new OverviewResponse.Trends(trendLeads));
    }

    @GET
    @Path("/overview")
    @Transactional
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN, Roles.RESEARCHER, Roles.CLIENT })
    public OverviewResponse overview(
            @QueryParam("range") @DefaultValue("30d") @Pattern(regexp = "7d|30d|90d|1y", message = "must be one of 7d, 30d, 90d, 1y") String range) {
        String agencyId = tenant.requireAgencyId();
        LocalDate end = LocalDate.now(ZoneOffset.UTC);
        LocalDate start = switch (range) {
            case "7d" -> end.minusDays(7);
            case "90d" -> end.minusDays(90);
            case "1y" -> end.minusYears(1);
            default -> end.minusDays(30);
        };
        // The tenant filter applies to this query: only the caller's agency row can be found.
        AgencyOverview counters = AgencyOverview.<AgencyOverview>find("agencyId", agencyId).firstResultOptional()
                .orElseGet(AgencyOverview::new);
        Number trend = (Number) entityManager.createNativeQuery("""
                select coalesce(sum(created), 0) from agency_daily_leads
                where agency_id = :agency and day > :start and day <= :end""")
                .setParameter("agency", agencyId)
                .setParameter("start", start)
                .setParameter("end", end)
                .getSingleResult();
        return new OverviewResponse(of(counters, trend.longValue()),
                new OverviewResponse.DateRange(start, end, range));
    }
}
