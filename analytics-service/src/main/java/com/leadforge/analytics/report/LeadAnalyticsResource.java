package com.leadforge.analytics.report;

import static com.leadforge.analytics.overview.LeadActivity.CREATED;
import static com.leadforge.analytics.overview.LeadActivity.CREATED_CONTACTED;
import static com.leadforge.analytics.overview.LeadActivity.CREATED_RESPONDED;
import static com.leadforge.analytics.overview.LeadActivity.FIRST_QUALIFICATION;
import static com.leadforge.analytics.overview.LeadActivity.FIRST_STATUS;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.leadforge.analytics.overview.LeadActivity;
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
 * {@code GET /api/v1/analytics/leads}: the leads created in a period (the agency's, one campaign's, or a client's
 * granted campaigns'), as they are now: metrics, status breakdown, the same figures grouped by status, qualification,
 * campaign or source, and the period's top campaigns; with the previous period and the change.
 */
@Path("/api/v1/analytics/leads")
@Tag(name = "Analytics")
@Produces(MediaType.APPLICATION_JSON)
public class LeadAnalyticsResource {

    /** Groups of a campaign or source grouping, and top campaigns, are bounded. */
    static final int MAX_GROUPS = 100;
    static final int TOP_CAMPAIGNS = 5;

    public record LeadAnalytics(DateRange dateRange, Metrics metrics, Map<String, Long> statusBreakdown,
            Grouped groupedData, List<TopCampaign> topCampaigns, Previous previousPeriod, Changes change) {
    }

    public record Metrics(long total, long qualified, long disqualified, long contacted, long responded,
            double qualificationRate, double responseRate) {

        static Metrics of(long[] sums) {
            long total = sums[CREATED];
            long qualified = sums[FIRST_QUALIFICATION + 1];
            return new Metrics(total, qualified, sums[FIRST_QUALIFICATION + 2], sums[CREATED_CONTACTED],
                    sums[CREATED_RESPONDED], Figures.ratio(qualified, total),
                    Figures.ratio(sums[CREATED_RESPONDED], sums[CREATED_CONTACTED]));
        }
    }

    /** {@code groups}: every status or qualification (zeros included), or the largest campaigns or sources. */
    public record Grouped(String groupBy, List<Group> groups) {
    }

    /**
     * One group. Status and qualification groups carry their count only ({@code total}); campaign and source groups
     * the metrics of their leads ({@code key} null is "no campaign"; source "" is a lead whose creation was not seen).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Group(String key, String name, long total, Metrics metrics) {
    }

    public record TopCampaign(UUID id, String name, String status, long totalLeads, long qualifiedLeads,
            double qualificationRate) {
    }

    public record Previous(DateRange dateRange, Metrics metrics, Map<String, Long> statusBreakdown,
            Grouped groupedData, List<TopCampaign> topCampaigns) {
    }

    public record Changes(Map<String, Figures.Change> metrics, Map<String, Figures.Change> statusBreakdown) {
    }

    private final TenantContext tenant;
    private final AnalyticsScope scope;
    private final ActivityReader reader;
    private final EntityManager entityManager;
    private final AnswerCache cache;

    public LeadAnalyticsResource(TenantContext tenant, AnalyticsScope scope, ActivityReader reader,
            EntityManager entityManager, AnswerCache cache) {
        this.tenant = tenant;
        this.scope = scope;
        this.reader = reader;
        this.entityManager = entityManager;
        this.cache = cache;
    }

    @GET
    @Transactional
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN, Roles.RESEARCHER, Roles.CLIENT })
    @Operation(summary = "Lead analytics for range (7d|30d|90d|1y), groupBy (status|qualification|campaign|source), "
            + "campaign_id and tz (IANA zone, default UTC), with the previous period and the change")
    public LeadAnalytics leads(@QueryParam("range") String range, @QueryParam("groupBy") String groupBy,
            @QueryParam("campaign_id") String campaignId, @QueryParam("tz") String tz) {
        ReportParameters parameters = new ReportParameters();
        String checkedRange = parameters.range(range);
        String grouping = parameters.groupBy(groupBy, ReportParameters.LEAD_GROUPS, "status");
        ZoneId zone = parameters.zone(tz);
        UUID campaign = parameters.uuid("campaign_id", campaignId);
        parameters.check();
        String agencyId = tenant.requireAgencyId();
        // One bucket per period: the answer needs totals, not a timeline.
        ReportPeriod period = ReportParameters.period(checkedRange, zone, "day");
        return cache.get(agencyId, java.util.Arrays.asList("leads", campaign, checkedRange, grouping, zone.getId(),
                period.current().end(), scope.cacheKey()), LeadAnalytics.class,
                () -> compute(agencyId, campaign, grouping, zone, period));
    }

    private LeadAnalytics compute(String agencyId, UUID campaign, String grouping, ZoneId zone, ReportPeriod period) {
        ActivityReader.Scope covered = scope.scope(campaign);
        List<java.time.Instant> bounds = List.of(period.previous().from(zone), period.current().from(zone),
                period.current().to(zone));
        long[][] sums = reader.byBucket(agencyId, covered, bounds);
        long[] previous = sums[0];
        long[] current = sums[1];
        Map<String, Long> statuses = Figures.breakdown(LeadActivity.STATUSES, current, FIRST_STATUS);
        Map<String, Long> previousStatuses = Figures.breakdown(LeadActivity.STATUSES, previous, FIRST_STATUS);

        Map<String, long[]> campaigns = reader.byGroup(agencyId, covered, "campaign", period.current().from(zone),
                period.current().to(zone), MAX_GROUPS);
        Map<String, long[]> previousCampaigns = reader.byGroup(agencyId, covered, "campaign",
                period.previous().from(zone), period.previous().to(zone), MAX_GROUPS);
        Map<String, AnalyticsScope.Campaign> known = campaignsOf(agencyId, campaigns, previousCampaigns);

        Metrics metrics = Metrics.of(current);
        Metrics previousMetrics = Metrics.of(previous);
        Grouped grouped = grouped(agencyId, covered, grouping, current, campaigns, known, period.current(), zone);
        Grouped previousGrouped = grouped(agencyId, covered, grouping, previous, previousCampaigns, known,
                period.previous(), zone);
        return new LeadAnalytics(DateRange.of(period, period.current()), metrics, statuses, grouped,
                top(campaigns, known), new Previous(DateRange.of(period, period.previous()), previousMetrics,
                        previousStatuses, previousGrouped, top(previousCampaigns, known)),
                new Changes(changes(metrics, previousMetrics), Figures.change(statuses, previousStatuses)));
    }

    private Grouped grouped(String agencyId, ActivityReader.Scope covered, String grouping, long[] sums,
            Map<String, long[]> campaigns, Map<String, AnalyticsScope.Campaign> known, ReportPeriod.Span span,
            ZoneId zone) {
        List<Group> groups = new ArrayList<>();
        switch (grouping) {
            case "status" -> Figures.breakdown(LeadActivity.STATUSES, sums, FIRST_STATUS)
                    .forEach((key, count) -> groups.add(new Group(key, null, count, null)));
            case "qualification" -> Figures.breakdown(LeadActivity.QUALIFICATIONS, sums, FIRST_QUALIFICATION)
                    .forEach((key, count) -> groups.add(new Group(key, null, count, null)));
            case "campaign" -> campaigns.forEach((key, values) -> {
                boolean none = LeadActivity.NO_CAMPAIGN.toString().equals(key);
                AnalyticsScope.Campaign campaign = known.get(key);
                groups.add(new Group(none ? null : key, campaign == null ? null : campaign.name(), values[CREATED],
                        Metrics.of(values)));
            });
            default -> reader.byGroup(agencyId, covered, "source", span.from(zone), span.to(zone), MAX_GROUPS)
                    .forEach((key, values) -> groups.add(new Group(key, null, values[CREATED], Metrics.of(values))));
        }
        return new Grouped(grouping, groups);
    }

    private static List<TopCampaign> top(Map<String, long[]> campaigns, Map<String, AnalyticsScope.Campaign> known) {
        List<TopCampaign> top = new ArrayList<>();
        for (Map.Entry<String, long[]> entry : campaigns.entrySet()) {
            AnalyticsScope.Campaign campaign = known.get(entry.getKey());
            if (campaign == null || entry.getValue()[CREATED] == 0) {
                continue;
            }
            long total = entry.getValue()[CREATED];
            long qualified = entry.getValue()[FIRST_QUALIFICATION + 1];
            top.add(new TopCampaign(campaign.id(), campaign.name(), campaign.status(), total, qualified,
                    Figures.ratio(qualified, total)));
            if (top.size() == TOP_CAMPAIGNS) {
                break;
            }
        }
        return top;
    }

    /** Name and status of the live campaigns among the groups (deleted ones, and "no campaign", have none). */
    private Map<String, AnalyticsScope.Campaign> campaignsOf(String agencyId, Map<String, long[]> current,
            Map<String, long[]> previous) {
        List<UUID> ids = new ArrayList<>();
        for (String key : concat(current, previous)) {
            if (!LeadActivity.NO_CAMPAIGN.toString().equals(key)) {
                ids.add(UUID.fromString(key));
            }
        }
        Map<String, AnalyticsScope.Campaign> known = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return known;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("""
                select s.campaign_id, p.name, s.status from campaign_state s
                left join campaign_profile p on p.campaign_id = s.campaign_id and p.agency_id = s.agency_id
                where s.agency_id = :agency and s.campaign_id = any(:ids) and not s.deleted""")
                .setParameter("agency", agencyId)
                .setParameter("ids", ids.toArray(UUID[]::new))
                .getResultList();
        for (Object[] row : rows) {
            UUID id = (UUID) row[0];
            known.put(id.toString(), new AnalyticsScope.Campaign(id, (String) row[1], (String) row[2], null));
        }
        return known;
    }

    private static List<String> concat(Map<String, long[]> a, Map<String, long[]> b) {
        List<String> keys = new ArrayList<>(a.keySet());
        b.keySet().stream().filter(k -> !a.containsKey(k)).forEach(keys::add);
        return keys;
    }

    private static Map<String, Figures.Change> changes(Metrics current, Metrics previous) {
        Map<String, Figures.Change> changes = new LinkedHashMap<>();
        changes.put("total", Figures.change(current.total(), previous.total()));
        changes.put("qualified", Figures.change(current.qualified(), previous.qualified()));
        changes.put("disqualified", Figures.change(current.disqualified(), previous.disqualified()));
        changes.put("contacted", Figures.change(current.contacted(), previous.contacted()));
        changes.put("responded", Figures.change(current.responded(), previous.responded()));
        changes.put("qualification_rate", Figures.change(current.qualificationRate(), previous.qualificationRate()));
        changes.put("response_rate", Figures.change(current.responseRate(), previous.responseRate()));
        return changes;
    }
}
