package com.leadforge.analytics.report;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.leadforge.shared.events.Topics;
import com.leadforge.testsupport.RealInfrastructure;
import com.leadforge.testsupport.TestTokens;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * The analytics answers against a known history spanning two periods, published to the real broker: every figure of
 * the current and the previous period, empty buckets as zeros, the change; the same figures when every event arrives
 * twice and in a random order; local-day buckets across a daylight-saving change; the dashboard.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = {
        @ResourceArg(name = "database", value = "analytics"),
        @ResourceArg(name = "topics", value = Topics.LEAD_EVENTS + "," + Topics.CAMPAIGN_EVENTS + ","
                + Topics.SCRAPING_EVENTS) })
class AnalyticsFiguresTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    AgroalDataSource dataSource;

    /** Day {@code daysAgo} before today (UTC) at {@code hour}:00 UTC. */
    private static Instant day(int daysAgo, int hour) {
        return LocalDate.now(ZoneOffset.UTC).minusDays(daysAgo).atTime(hour, 0).toInstant(ZoneOffset.UTC);
    }

    /** The same history for any agency; returns the campaign's id. */
    private static UUID history(EventHistory history) {
        UUID campaign = history.campaign("Spring push", day(40, 9));
        // Current period (the 7 days up to today): two leads created 2 days ago, one qualified and contacted and
        // responded yesterday, the other qualified yesterday; a third created and deleted.
        history.lead(campaign, "csv", day(2, 10))
                .update("contacted", "pending", true, false, day(1, 9))
                .update("responded", "qualified", true, true, day(1, 11));
        history.lead(campaign, "api", day(2, 12))
                .update("qualified", "qualified", false, false, day(1, 12));
        history.lead(campaign, "csv", day(4, 10)).delete(day(3, 10));
        // Previous period (the 7 days before): one lead of the campaign, contacted; one of no campaign.
        history.lead(campaign, "csv", day(9, 10)).update("contacted", "pending", true, false, day(8, 10));
        history.lead(null, "manual", day(10, 10));
        // Before both periods.
        history.lead(null, "manual", day(20, 10));
        history.job("completed", 100, 40, 30, day(1, 8));
        history.job("running", 50, 10, 9, day(0, 0));
        return campaign;
    }

    @Test
    void figuresOfBothPeriodsAreTheSameInOrderAndShuffledWithEveryEventTwice() {
        String inOrder = UUID.randomUUID().toString();
        EventHistory ordered = new EventHistory(inOrder);
        UUID orderedCampaign = history(ordered);
        ordered.publishInOrder(bootstrapServers, dataSource);

        String shuffled = UUID.randomUUID().toString();
        EventHistory messy = new EventHistory(shuffled);
        UUID messyCampaign = history(messy);
        messy.publishShuffledTwice(bootstrapServers, dataSource, 11);

        for (Map.Entry<String, UUID> agency : Map.of(inOrder, orderedCampaign, shuffled, messyCampaign).entrySet()) {
            assertCampaignFigures(agency.getKey(), agency.getValue());
            assertLeadFigures(agency.getKey(), agency.getValue());
            assertDashboard(agency.getKey(), agency.getValue());
        }
        String[] paths = { "/api/v1/analytics/campaigns/%s?range=7d", "/api/v1/analytics/leads?range=7d&groupBy=source",
                "/api/v1/analytics/leads?range=30d&groupBy=campaign" };
        for (String path : paths) {
            assertEquals(
                    get(inOrder, path.formatted(orderedCampaign)).replace(orderedCampaign.toString(), "C"),
                    get(shuffled, path.formatted(messyCampaign)).replace(messyCampaign.toString(), "C"),
                    "in-order and shuffled-twice delivery answer alike: " + path);
        }
    }

    private void assertCampaignFigures(String agency, UUID campaign) {
        JsonPath body = json(agency, "/api/v1/analytics/campaigns/" + campaign + "?range=7d&groupBy=day");
        assertEquals(campaign.toString(), body.getString("campaign.id"));
        assertEquals("Spring push", body.getString("campaign.name"));
        assertEquals("active", body.getString("campaign.status"));
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertEquals(today.minusDays(6).toString(), body.getString("date_range.start"));
        assertEquals(today.toString(), body.getString("date_range.end"));
        assertEquals("UTC", body.getString("date_range.tz"));

        assertEquals(2, body.getInt("metrics.total_leads"));
        assertEquals(2, body.getInt("metrics.qualified_leads"));
        assertEquals(1, body.getInt("metrics.contacted_leads"));
        assertEquals(1, body.getInt("metrics.responded_leads"));
        assertEquals(100.0, body.getDouble("metrics.qualification_rate"));
        assertEquals(100.0, body.getDouble("metrics.response_rate"));

        List<Map<String, Object>> timeline = body.getList("timeline");
        assertEquals(7, timeline.size(), "one bucket per day, empty ones included");
        for (int i = 0; i < 7; i++) {
            Map<String, Object> point = timeline.get(i);
            int daysAgo = 6 - i;
            assertEquals(today.minusDays(daysAgo).toString(), point.get("date"));
            assertEquals(daysAgo == 2 ? 2 : 0, point.get("total_leads"), "created, day -" + daysAgo);
            assertEquals(daysAgo == 1 ? 2 : 0, point.get("qualified"), "qualified, day -" + daysAgo);
            assertEquals(daysAgo == 1 ? 1 : 0, point.get("contacted"), "contacted, day -" + daysAgo);
            assertEquals(daysAgo == 1 ? 1 : 0, point.get("responded"), "responded, day -" + daysAgo);
        }
        assertEquals(Map.of("new", 0, "contacted", 0, "responded", 1, "qualified", 1, "nurturing", 0, "converted", 0,
                "disqualified", 0), body.getMap("distribution.status"));
        assertEquals(Map.of("pending", 0, "qualified", 2, "disqualified", 0), body.getMap("distribution.qualification"));

        assertEquals(today.minusDays(13).toString(), body.getString("previous_period.date_range.start"));
        assertEquals(today.minusDays(7).toString(), body.getString("previous_period.date_range.end"));
        assertEquals(1, body.getInt("previous_period.metrics.total_leads"));
        assertEquals(0, body.getInt("previous_period.metrics.qualified_leads"));
        assertEquals(1, body.getInt("previous_period.metrics.contacted_leads"));
        assertEquals(0.0, body.getDouble("previous_period.metrics.response_rate"));
        assertEquals(7, body.getList("previous_period.timeline").size());
        assertEquals(1, body.getInt("previous_period.timeline[4].total_leads"), "9 days ago");
        assertEquals(1, body.getInt("previous_period.timeline[5].contacted"), "8 days ago");
        assertEquals(Map.of("pending", 1, "qualified", 0, "disqualified", 0),
                body.getMap("previous_period.distribution.qualification"));

        assertEquals(1, body.getInt("change.metrics.total_leads.absolute"));
        assertEquals(100.0, body.getDouble("change.metrics.total_leads.percent"));
        assertEquals(2, body.getInt("change.metrics.qualified_leads.absolute"));
        assertNull(body.get("change.metrics.qualified_leads.percent"), "no percentage of a change from 0");
        assertTrue(body.getMap("change.metrics.qualified_leads").containsKey("percent"), "present, as null");
        assertEquals(0, body.getInt("change.metrics.contacted_leads.absolute"));
        assertEquals(0.0, body.getDouble("change.metrics.contacted_leads.percent"));
        assertEquals(-1, body.getInt("change.distribution.qualification.pending.absolute"));
        assertEquals(-100.0, body.getDouble("change.distribution.qualification.pending.percent"));

        JsonPath weekly = json(agency, "/api/v1/analytics/campaigns/" + campaign + "?range=30d&groupBy=week");
        List<String> mondays = weekly.getList("timeline.date");
        mondays.forEach(date -> assertEquals(DayOfWeek.MONDAY, LocalDate.parse(date).getDayOfWeek(), date));
        assertEquals(3, weekly.getList("timeline.total_leads", Integer.class).stream().mapToInt(i -> i).sum(),
                "every lead of the campaign created in the 30 days, once");
        JsonPath monthly = json(agency, "/api/v1/analytics/campaigns/" + campaign + "?range=1y&groupBy=month");
        assertTrue(monthly.getList("timeline").size() >= 12 && monthly.getList("timeline").size() <= 13);
        monthly.getList("timeline.date", String.class).forEach(date -> assertEquals(1,
                LocalDate.parse(date).getDayOfMonth(), date));
    }

    private void assertLeadFigures(String agency, UUID campaign) {
        JsonPath body = json(agency, "/api/v1/analytics/leads?range=7d");
        assertEquals(2, body.getInt("metrics.total"));
        assertEquals(2, body.getInt("metrics.qualified"));
        assertEquals(0, body.getInt("metrics.disqualified"));
        assertEquals(100.0, body.getDouble("metrics.qualification_rate"));
        assertEquals(1, body.getInt("status_breakdown.responded"));
        assertEquals(1, body.getInt("status_breakdown.qualified"));
        assertEquals(0, body.getInt("status_breakdown.new"));
        assertEquals("status", body.getString("grouped_data.group_by"));
        assertEquals(7, body.getList("grouped_data.groups").size(), "every status, zeros included");
        assertEquals(2, body.getInt("previous_period.metrics.total"), "one lead of the campaign, one of none");
        assertEquals(1, body.getInt("previous_period.status_breakdown.new"));
        assertEquals(1, body.getInt("previous_period.status_breakdown.contacted"));
        assertEquals(0, body.getInt("change.metrics.total.absolute"));
        assertEquals(0.0, body.getDouble("change.metrics.total.percent"));
        assertEquals(campaign.toString(), body.getString("top_campaigns[0].id"));
        assertEquals(2, body.getInt("top_campaigns[0].total_leads"));

        JsonPath bySource = json(agency, "/api/v1/analytics/leads?range=7d&groupBy=source");
        assertEquals(List.of("api", "csv"), bySource.getList("grouped_data.groups.key"));
        assertEquals(List.of(1, 1), bySource.getList("grouped_data.groups.total"));
        assertEquals(List.of("csv", "manual"), bySource.getList("previous_period.grouped_data.groups.key"));

        JsonPath byCampaign = json(agency, "/api/v1/analytics/leads?range=7d&groupBy=campaign");
        assertEquals(List.of(campaign.toString()), byCampaign.getList("grouped_data.groups.key"));
        assertEquals("Spring push", byCampaign.getString("grouped_data.groups[0].name"));
        assertEquals(100.0, byCampaign.getDouble("grouped_data.groups[0].metrics.response_rate"));
        assertEquals(2, byCampaign.getList("previous_period.grouped_data.groups").size());

        JsonPath oneCampaign = json(agency, "/api/v1/analytics/leads?range=7d&campaign_id=" + campaign
                + "&groupBy=qualification");
        assertEquals(2, oneCampaign.getInt("metrics.total"));
        assertEquals(1, oneCampaign.getInt("previous_period.metrics.total"), "the lead of no campaign is not in it");
        assertEquals(List.of("pending", "qualified", "disqualified"),
                oneCampaign.getList("grouped_data.groups.key"));
        assertEquals(List.of(0, 2, 0), oneCampaign.getList("grouped_data.groups.total"));
    }

    private void assertDashboard(String agency, UUID campaign) {
        JsonPath body = json(agency, "/api/v1/analytics/dashboard?range=7d");
        assertEquals(5, body.getInt("overview.leads.total"), "live leads of every period");
        assertEquals(1, body.getInt("overview.campaigns.active"));
        assertEquals(2, body.getInt("overview.scraping.total_jobs"));
        assertEquals(2, body.getInt("overview.trends.leads"));
        assertEquals(2, body.getInt("previous_period.trends.leads"));
        assertEquals(0, body.getInt("change.trends.leads.absolute"));
        assertEquals(campaign.toString(), body.getString("top_campaigns[0].id"));
        assertEquals("Spring push", body.getString("top_campaigns[0].name"));
        assertEquals(3, body.getInt("top_campaigns[0].leads"));
        assertEquals(2, body.getInt("top_campaigns[0].qualified"));
        assertEquals(2, body.getList("recent_jobs").size());
        assertEquals("running", body.getString("recent_jobs[0].status"), "most recent first");
        assertEquals(50, body.getInt("recent_jobs[0].progress"));
        assertEquals("completed", body.getString("recent_jobs[1].status"));
        assertEquals(30, body.getInt("recent_jobs[1].records_imported"));
        assertEquals(40, body.getInt("recent_jobs[1].records_processed"));
        assertEquals(0, body.getInt("unread_notifications"), "nothing notified this caller");
    }

    /**
     * Local days across the zone's last daylight-saving change: a day of 23 or 25 hours is one bucket, and leads half
     * an hour either side of the local midnights around it land on the right local day (24-hour arithmetic from the
     * range's start, or UTC days, would move them).
     */
    @Test
    void localDaysFollowTheZoneAcrossADaylightSavingChange() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        ZoneOffsetTransition change = berlin.getRules().previousTransition(Instant.now().minusSeconds(3 * 86400));
        LocalDate day = change.getInstant().atZone(berlin).toLocalDate();
        String agency = UUID.randomUUID().toString();
        EventHistory history = new EventHistory(agency);
        UUID campaign = history.campaign("Across DST", day.minusDays(30).atStartOfDay(berlin).toInstant());
        history.lead(campaign, "csv", day.minusDays(1).atTime(23, 30).atZone(berlin).toInstant());
        history.lead(campaign, "csv", day.atTime(0, 30).atZone(berlin).toInstant());
        history.lead(campaign, "csv", day.atTime(23, 30).atZone(berlin).toInstant());
        history.lead(campaign, "csv", day.atTime(23, 45).atZone(berlin).toInstant());
        history.lead(campaign, "csv", day.plusDays(1).atTime(0, 30).atZone(berlin).toInstant());
        history.publishInOrder(bootstrapServers, dataSource);

        JsonPath body = json(agency, "/api/v1/analytics/campaigns/" + campaign + "?range=1y&groupBy=day&tz="
                + berlin.getId());
        assertEquals("Europe/Berlin", body.getString("date_range.tz"));
        assertEquals(LocalDate.now(berlin).toString(), body.getString("date_range.end"));
        Map<String, Integer> byDay = new java.util.HashMap<>();
        List<Map<String, Object>> timeline = body.getList("timeline");
        timeline.forEach(p -> byDay.put((String) p.get("date"), (Integer) p.get("total_leads")));
        assertEquals(1, byDay.get(day.minusDays(1).toString()), "the day before the change");
        assertEquals(3, byDay.get(day.toString()), "the " + (change.isGap() ? 23 : 25) + "-hour day of the change");
        assertEquals(1, byDay.get(day.plusDays(1).toString()), "the day after the change");
        assertEquals(5, timeline.stream().mapToInt(p -> (Integer) p.get("total_leads")).sum());
        assertEquals(LocalDate.now(berlin).minusYears(1).plusDays(1).toString(), body.getString("date_range.start"));

        JsonPath weekly = json(agency, "/api/v1/analytics/campaigns/" + campaign + "?range=1y&groupBy=week&tz="
                + berlin.getId());
        LocalDate monday = day.with(java.time.temporal.TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        int weekOfChange = 0;
        for (Map<String, Object> point : weekly.<Map<String, Object>>getList("timeline")) {
            if (LocalDate.parse((String) point.get("date")).equals(monday)) {
                weekOfChange = (Integer) point.get("total_leads");
            }
        }
        int expected = (int) List.of(day.minusDays(1), day, day, day, day.plusDays(1)).stream()
                .filter(d -> !d.isBefore(monday) && d.isBefore(monday.plusWeeks(1))).count();
        assertEquals(expected, weekOfChange, "the ISO week (from Monday " + monday + ") of the change");

        JsonPath utc = json(agency, "/api/v1/analytics/campaigns/" + campaign + "?range=1y&groupBy=day");
        Map<String, Integer> byUtcDay = new java.util.HashMap<>();
        utc.<Map<String, Object>>getList("timeline").forEach(p -> byUtcDay.put((String) p.get("date"),
                (Integer) p.get("total_leads")));
        // Berlin is one or two hours ahead of UTC: a lead at local 00:30 is on the UTC day before.
        assertEquals(2, byUtcDay.get(day.minusDays(1).toString()));
        assertEquals(3, byUtcDay.get(day.toString()));
        assertEquals(0, byUtcDay.get(day.plusDays(1).toString()));
    }

    /**
     * Answers are cached per replica under the agency's analytics_version: a transaction that applies the agency's
     * events on any replica (here: written to the database as another replica's consumer would commit it) changes the
     * version, and the next answer is computed afresh; the same change without a new version is not seen (the answer
     * really came from the cache). A new event consumed here is seen at once.
     */
    @Test
    void cachedAnswersLastUntilTheAgencysNextAppliedEventOnAnyReplica() throws Exception {
        String agency = UUID.randomUUID().toString();
        EventHistory history = new EventHistory(agency);
        history.lead(null, "csv", Instant.now().minusSeconds(60));
        history.publishInOrder(bootstrapServers, dataSource);
        assertEquals(1, json(agency, "/api/v1/analytics/dashboard").getInt("overview.leads.total"));

        sql(agency, "update agency_overview set leads_total = leads_total + 10");
        assertEquals(1, json(agency, "/api/v1/analytics/dashboard").getInt("overview.leads.total"),
                "no new version: the cached answer");
        sql(agency, "update analytics_version set version = version + 1");
        assertEquals(11, json(agency, "/api/v1/analytics/dashboard").getInt("overview.leads.total"),
                "another replica applied an event: answered afresh");

        EventHistory more = new EventHistory(agency);
        more.lead(null, "csv", Instant.now().minusSeconds(30));
        more.publishInOrder(bootstrapServers, dataSource);
        assertEquals(12, json(agency, "/api/v1/analytics/dashboard").getInt("overview.leads.total"));
        assertEquals(2, json(agency, "/api/v1/analytics/leads?range=7d").getInt("metrics.total"));
    }

    private void sql(String agency, String statement) throws java.sql.SQLException {
        try (java.sql.Connection connection = dataSource.getConnection();
                java.sql.Statement s = connection.createStatement()) {
            s.execute("select set_config('leadforge.agency_id', '" + agency + "', false)");
            s.execute(statement);
        }
    }

    private static String get(String agency, String path) {
        return given().auth().oauth2(TestTokens.token(agency, "researcher")).get(path).then().statusCode(200)
                .extract().asString();
    }

    private static JsonPath json(String agency, String path) {
        return new JsonPath(get(agency, path));
    }
}
