package com.leadforge.analytics.report;

import static com.leadforge.analytics.overview.LeadActivity.CONTACTED;
import static com.leadforge.analytics.overview.LeadActivity.CREATED;
import static com.leadforge.analytics.overview.LeadActivity.CREATED_CONTACTED;
import static com.leadforge.analytics.overview.LeadActivity.CREATED_RESPONDED;
import static com.leadforge.analytics.overview.LeadActivity.FIRST_QUALIFICATION;
import static com.leadforge.analytics.overview.LeadActivity.FIRST_STATUS;
import static com.leadforge.analytics.overview.LeadActivity.QUALIFIED;
import static com.leadforge.analytics.overview.LeadActivity.RESPONDED;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.leadforge.analytics.overview.LeadActivity;
import com.leadforge.shared.tenancy.Roles;
import com.leadforge.shared.tenancy.TenantContext;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/v1/analytics/campaigns/{id}}: one campaign's figures for a period and the period before it, from the
 * activity buckets. {@code metrics} and {@code distribution} describe the leads created in the period as they are now;
 * {@code timeline} says when things happened (created, first qualified, first contacted, first responded).
 */
@Path("/api/v1/analytics/campaigns")
@Tag(name = "Analytics")
@Produces(MediaType.APPLICATION_JSON)
public class CampaignAnalyticsResource {

    public record CampaignAnalytics(Campaign campaign, DateRange dateRange, Metrics metrics, List<Point> timeline,
            Distribution distribution, Previous previousPeriod, Changes change) {
    }

    public record Campaign(UUID id, String name, String status, Instant createdAt) {
    }

    public record Metrics(long totalLeads, long qualifiedLeads, long contactedLeads, long respondedLeads,
            double qualificationRate, double responseRate) {

        static Metrics of(long[] sums) {
            long total = sums[CREATED];
            long qualified = sums[FIRST_QUALIFICATION + 1];
            return new Metrics(total, qualified, sums[CREATED_CONTACTED], sums[CREATED_RESPONDED],
                    Figures.ratio(qualified, total), Figures.ratio(sums[CREATED_RESPONDED], sums[CREATED_CONTACTED]));
        }
    }

    /** One bucket: {@code date} is its period's first local day. */
    public record Point(LocalDate date, long totalLeads, long qualified, long contacted, long responded) {
    }

    public record Distribution(Map<String, Long> status, Map<String, Long> qualification) {

        static Distribution of(long[] sums) {
            return new Distribution(Figures.breakdown(LeadActivity.STATUSES, sums, FIRST_STATUS),
                    Figures.breakdown(LeadActivity.QUALIFICATIONS, sums, FIRST_QUALIFICATION));
        }
    }

    public record Previous(DateRange dateRange, Metrics metrics, List<Point> timeline, Distribution distribution) {
    }

    public record Changes(Map<String, Figures.Change> metrics, Map<String, Map<String, Figures.Change>> distribution) {
    }

    private final TenantContext tenant;
    private final AnalyticsScope scope;
    private final ActivityReader reader;
    private final AnswerCache cache;

    public CampaignAnalyticsResource(TenantContext tenant, AnalyticsScope scope, ActivityReader reader,
            AnswerCache cache) {
        this.tenant = tenant;
        this.scope = scope;
        this.reader = reader;
        this.cache = cache;
    }

    @GET
    @Path("/{id}")
    @Transactional
    @RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN, Roles.RESEARCHER, Roles.CLIENT })
    @Operation(summary = "A campaign's metrics, timeline and distribution for range (7d|30d|90d|1y), groupBy "
            + "(day|week|month) and tz (IANA zone, default UTC), with the previous period and the change")
    public CampaignAnalytics campaign(@PathParam("id") String id, @QueryParam("range") String range,
            @QueryParam("groupBy") String groupBy, @QueryParam("tz") String tz) {
        ReportParameters parameters = new ReportParameters();
        String checkedRange = parameters.range(range);
        String grouping = parameters.groupBy(groupBy, ReportParameters.TIME_GROUPS, "day");
        var zone = parameters.zone(tz);
        parameters.check();
        String agencyId = tenant.requireAgencyId();
        UUID campaignId = parseId(id);
        ReportPeriod period = ReportParameters.period(checkedRange, zone, grouping);
        return cache.get(agencyId, List.of("campaign", campaignId, checkedRange, grouping, zone.getId(),
                period.current().end(), scope.cacheKey()), CampaignAnalytics.class,
                () -> compute(agencyId, campaignId, period));
    }

    private CampaignAnalytics compute(String agencyId, UUID campaignId, ReportPeriod period) {
        AnalyticsScope.Campaign campaign = scope.campaign(campaignId);
        long[][] sums = reader.byBucket(agencyId, new ActivityReader.Scope(campaignId, null), period.bounds());
        int previousBuckets = period.previous().buckets().size();
        long[] previous = ActivityReader.total(sums, 0, previousBuckets);
        long[] current = ActivityReader.total(sums, previousBuckets, sums.length);
        Metrics metrics = Metrics.of(current);
        Metrics previousMetrics = Metrics.of(previous);
        Distribution distribution = Distribution.of(current);
        Distribution previousDistribution = Distribution.of(previous);
        return new CampaignAnalytics(
                new Campaign(campaign.id(), campaign.name(), campaign.status(), campaign.createdAt()),
                DateRange.of(period, period.current()), metrics,
                timeline(period.current(), sums, previousBuckets), distribution,
                new Previous(DateRange.of(period, period.previous()), previousMetrics,
                        timeline(period.previous(), sums, 0), previousDistribution),
                new Changes(metricChanges(metrics, previousMetrics), Map.of(
                        "status", Figures.change(distribution.status(), previousDistribution.status()),
                        "qualification", Figures.change(distribution.qualification(),
                                previousDistribution.qualification()))));
    }

    /** A malformed id names no campaign of the agency: 404 like any other. */
    private static UUID parseId(String id) {
        try {
            if (id != null && id.length() == 36) {
                return UUID.fromString(id);
            }
        } catch (IllegalArgumentException e) {
            // Not found below.
        }
        throw com.leadforge.shared.problem.ProblemException.notFound("Campaign", id);
    }

    private static List<Point> timeline(ReportPeriod.Span span, long[][] sums, int first) {
        List<Point> points = new ArrayList<>(span.buckets().size());
        for (int i = 0; i < span.buckets().size(); i++) {
            long[] bucket = sums[first + i];
            points.add(new Point(span.buckets().get(i).date(), bucket[CREATED], bucket[QUALIFIED], bucket[CONTACTED],
                    bucket[RESPONDED]));
        }
        return points;
    }

    static Map<String, Figures.Change> metricChanges(Metrics current, Metrics previous) {
        Map<String, Figures.Change> changes = new LinkedHashMap<>();
        changes.put("total_leads", Figures.change(current.totalLeads(), previous.totalLeads()));
        changes.put("qualified_leads", Figures.change(current.qualifiedLeads(), previous.qualifiedLeads()));
        changes.put("contacted_leads", Figures.change(current.contactedLeads(), previous.contactedLeads()));
        changes.put("responded_leads", Figures.change(current.respondedLeads(), previous.respondedLeads()));
        changes.put("qualification_rate", Figures.change(current.qualificationRate(), previous.qualificationRate()));
        changes.put("response_rate", Figures.change(current.responseRate(), previous.responseRate()));
        return changes;
    }
}
