package com.leadforge.analytics.dashboard;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.leadforge.analytics.notification.NotificationResource;
import com.leadforge.analytics.overview.AgencyOverview;
import com.leadforge.analytics.overview.CampaignStateProjection;
import com.leadforge.analytics.overview.LeadActivity;
import com.leadforge.analytics.overview.OverviewResource;
import com.leadforge.analytics.overview.OverviewResponse;
import com.leadforge.analytics.report.ActivityReader;
import com.leadforge.analytics.report.AnalyticsScope;
import com.leadforge.analytics.report.AnswerCache;
import com.leadforge.analytics.report.DateRange;
import com.leadforge.analytics.report.Figures;
import com.leadforge.analytics.report.ReportParameters;
import com.leadforge.analytics.report.ReportPeriod;
import com.leadforge.shared.tenancy.Roles;
import com.leadforge.shared.tenancy.TenantContext;

import jakarta.annotation.security.RolesAllowed;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/v1/analytics/dashboard}: what a dashboard shows, in one call and a handful of index reads, none of
 * which grows with the agency's leads: the overview counters (one row), the leads created in the range and the range
 * before (one row per quarter hour of the agency), the top campaigns (an index on their live lead counts) and the
 * most recent jobs (an index on their last change). A client sees only its granted campaigns among the top ones and no
 * jobs (it may not read jobs); its overview is the agency's, as {@code /overview} gives it.
 */
@Path("/api/v1/analytics/dashboard")
@Tag(name = "Analytics")
@Produces(MediaType.APPLICATION_JSON)
public class DashboardResource {

    static final int TOP_CAMPAIGNS = 5;
    static final int RECENT_JOBS = 5;

    /** {@code unreadNotifications} is the caller's own; everything else is the agency's (or the client's grants'). */
    public record Dashboard(OverviewResponse.Overview overview, DateRange dateRange, Previous previousPeriod,
            Changes change, List<TopCampaign> topCampaigns, List<RecentJob> recentJobs, Long unreadNotifications) {

        Dashboard withUnreadNotifications(long unread) {
            return new Dashboard(overview, dateRange, previousPeriod, change, topCampaigns, recentJobs, unread);
        }
    }

    public record Previous(DateRange dateRange, OverviewResponse.Trends trends) {
    }

    public record Changes(Map<String, Figures.Change> trends) {
    }

    /** A campaign by its live leads now: counts, and the rates of the campaign's leads. */
    public record TopCampaign(UUID id, String name, String status, long leads, long qualified, long contacted,
            long responded, long converted, double qualificationRate, double responseRate) {
    }

    public record RecentJob(UUID id, String status, Integer progress, long recordsProcessed, Long recordsImported,
            UUID dataSourceId, String sourceType, UUID campaignId, Instant createdAt, Instant updatedAt) {
    }

    private final TenantContext tenant;
    private final AnalyticsScope scope;
    private final ActivityReader reader;
    private final EntityManager entityManager;
    private final AnswerCache cache;
    private final NotificationResource notifications;

    public DashboardResource(TenantContext tenant, AnalyticsScope scope, ActivityReader reader,
            EntityManager entityManager, AnswerCache cache, NotificationResource notifications) {
        this.notifications = notifications;
        this.tenant = tenant;
        this.scope = scope;
        this.reader = reader;
        this.entityManager = entityManager;
        this.cache = cache;
    }

    @GET
    @Transactional
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN, Roles.RESEARCHER, Roles.CLIENT })
    @Operation(summary = "Overview, leads created in range (7d|30d|90d|1y, tz) against the previous period, top "
            + "campaigns, recent jobs and the caller's unread notifications in one call")
    public Dashboard dashboard(@QueryParam("range") String range, @QueryParam("tz") String tz) {
        ReportParameters parameters = new ReportParameters();
        String checkedRange = parameters.range(range);
        ZoneId zone = parameters.zone(tz);
        parameters.check();
        String agencyId = tenant.requireAgencyId();
        ReportPeriod period = ReportParameters.period(checkedRange, zone, "day");
        // The agency's part is cached for every caller of the same scope; the unread count is the caller's own.
        return cache.get(agencyId, List.of("dashboard", checkedRange, zone.getId(), period.current().end(),
                scope.cacheKey()), Dashboard.class, () -> compute(agencyId, zone, period))
                .withUnreadNotifications(notifications.unreadOfCaller());
    }

    private Dashboard compute(String agencyId, ZoneId zone, ReportPeriod period) {
        Optional<List<UUID>> granted = scope.grantedCampaigns();

        AgencyOverview counters = AgencyOverview.<AgencyOverview>find("agencyId", agencyId).firstResultOptional()
                .orElseGet(AgencyOverview::new);
        long[][] created = reader.byBucket(agencyId, ActivityReader.Scope.AGENCY, List.of(period.previous().from(zone),
                period.current().from(zone), period.current().to(zone)));
        long current = created[1][LeadActivity.CREATED];
        long previous = created[0][LeadActivity.CREATED];
        return new Dashboard(OverviewResource.of(counters, current), DateRange.of(period, period.current()),
                new Previous(DateRange.of(period, period.previous()), new OverviewResponse.Trends(previous)),
                new Changes(Map.of("leads", Figures.change(current, previous))), topCampaigns(agencyId, granted),
                granted.isPresent() ? List.of() : recentJobs(agencyId), null);
    }

    private List<TopCampaign> topCampaigns(String agencyId, Optional<List<UUID>> granted) {
        if (granted.isPresent() && granted.get().isEmpty()) {
            return List.of();
        }
        String onlyGranted = granted.map(ids -> " and c.campaign_id = any(cast(:granted as uuid[]))").orElse("");
        var query = entityManager.createNativeQuery("""
                select c.campaign_id, p.name, s.status, c.leads, c.qualified, c.contacted, c.responded, c.converted
                from campaign_lead_counts c
                join campaign_state s on s.campaign_id = c.campaign_id and s.agency_id = c.agency_id and not s.deleted
                left join campaign_profile p on p.campaign_id = c.campaign_id and p.agency_id = c.agency_id
                where c.agency_id = :agency and c.leads > 0""" + onlyGranted
                + " order by c.leads desc, c.campaign_id limit :limit")
                .setParameter("agency", agencyId)
                .setParameter("limit", TOP_CAMPAIGNS);
        granted.ifPresent(ids -> query.setParameter("granted",
                ids.stream().map(UUID::toString).collect(Collectors.joining(",", "{", "}"))));
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        List<TopCampaign> top = new ArrayList<>();
        for (Object[] row : rows) {
            long leads = ((Number) row[3]).longValue();
            long qualified = ((Number) row[4]).longValue();
            long contacted = ((Number) row[5]).longValue();
            long responded = ((Number) row[6]).longValue();
            top.add(new TopCampaign((UUID) row[0], (String) row[1], (String) row[2], leads, qualified, contacted,
                    responded, ((Number) row[7]).longValue(), Figures.ratio(qualified, leads),
                    Figures.ratio(responded, contacted)));
        }
        return top;
    }

    private List<RecentJob> recentJobs(String agencyId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("""
                select job_id, status, progress, records_processed, records_imported, data_source_id, source_type,
                    campaign_id, created_at, changed_at
                from scraping_job_state where agency_id = :agency order by changed_at desc, job_id limit :limit""")
                .setParameter("agency", agencyId)
                .setParameter("limit", RECENT_JOBS)
                .getResultList();
        List<RecentJob> jobs = new ArrayList<>();
        for (Object[] row : rows) {
            jobs.add(new RecentJob((UUID) row[0], (String) row[1], row[2] == null ? null : ((Number) row[2]).intValue(),
                    ((Number) row[3]).longValue(), row[4] == null ? null : ((Number) row[4]).longValue(),
                    (UUID) row[5], (String) row[6], (UUID) row[7],
                    row[8] == null ? null : CampaignStateProjection.toInstant(row[8]),
                    CampaignStateProjection.toInstant(row[9])));
        }
        return jobs;
    }
}
