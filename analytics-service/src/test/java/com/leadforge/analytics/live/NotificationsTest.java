package com.leadforge.analytics.live;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.leadforge.shared.events.CampaignClientGrantedEvent;
import com.leadforge.shared.events.CampaignClientRevokedEvent;
import com.leadforge.shared.events.CampaignStatusChangedEvent;
import com.leadforge.shared.events.DataSourceChangedEvent;
import com.leadforge.shared.events.EventType;
import com.leadforge.shared.events.LeadAssignedEvent;
import com.leadforge.shared.events.LeadSnapshot;
import com.leadforge.shared.events.ScrapingJobEvent;
import com.leadforge.testsupport.TestTokens;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * Notifications come from events, once per event and addressee however often the event is delivered or replayed,
 * and each reader sees only its own (or its role's, with a read state of its own), in its own agency.
 */
@QuarkusTest
class NotificationsTest {

    static {
        io.restassured.RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    AgroalDataSource dataSource;

    LiveTestEvents events;

    @BeforeEach
    void connect() {
        events = new LiveTestEvents(bootstrapServers, dataSource);
    }

    @AfterEach
    void disconnect() {
        events.close();
    }

    static String sub(String username) {
        return UUID.nameUUIDFromBytes(username.getBytes(StandardCharsets.UTF_8)).toString();
    }

    static String token(String username, String agency, String role) {
        return TestTokens.user(username).agency(agency).roles(role).sign();
    }

    static ScrapingJobEvent job(UUID job, String agency, String status, String createdBy) {
        return new ScrapingJobEvent(job, agency, UUID.randomUUID(), "csv", null, status, 100, 10, 8, 1, 1, 0,
                "failed".equals(status) ? "source unreachable" : null, "system", Instant.now(), createdBy);
    }

    JsonPath list(String token, String query) {
        return given().auth().oauth2(token).get("/api/v1/notifications" + query).then().statusCode(200).extract()
                .jsonPath();
    }

    long unread(String token) {
        long unread = given().auth().oauth2(token).get("/api/v1/notifications/unread-count").then().statusCode(200)
                .extract().jsonPath().getLong("unread_count");
        assertEquals(unread, given().auth().oauth2(token).get("/api/v1/analytics/dashboard").then().statusCode(200)
                .extract().jsonPath().getLong("unread_notifications"), "the dashboard shows the caller's own count");
        return unread;
    }

    @Test
    void aFinishedJobNotifiesItsCreatorOnceUnderRedeliveryAndReplay() {
        String agency = UUID.randomUUID().toString();
        String creator = "creator-" + agency;
        UUID jobId = UUID.randomUUID();
        String completed = events.publish(agency, EventType.SCRAPING_JOB_COMPLETED, jobId,
                job(jobId, agency, "completed", sub(creator)));
        events.publish(completed, agency, EventType.SCRAPING_JOB_COMPLETED, jobId,
                job(jobId, agency, "completed", sub(creator)));
        // Same key, so the same partition: once this one is applied, the redelivery before it was consumed too.
        String after = events.publish(agency, EventType.SCRAPING_JOB_PROGRESSED, jobId,
                job(jobId, agency, "completed", sub(creator)));
        events.awaitApplied(List.of(completed, after));

        // A replay after the inbox forgot the event (its retention): the notification's own key still holds.
        events.forget(completed);
        events.publish(completed, agency, EventType.SCRAPING_JOB_COMPLETED, jobId,
                job(jobId, agency, "completed", sub(creator)));
        events.awaitApplied(List.of(completed));

        String creatorToken = token(creator, agency, "researcher");
        JsonPath mine = list(creatorToken, "");
        assertEquals(1, mine.getInt("meta.total"), "one notification for one completion: " + mine.prettify());
        assertEquals("success", mine.getString("data[0].type"));
        assertEquals("scraping_job", mine.getString("data[0].related_entity_type"));
        assertEquals(jobId.toString(), mine.getString("data[0].related_entity_id"));
        assertEquals(false, mine.getBoolean("data[0].read"));
        assertEquals(1, unread(creatorToken));

        UUID failedJob = UUID.randomUUID();
        events.awaitApplied(List.of(events.publish(agency, EventType.SCRAPING_JOB_FAILED, failedJob,
                job(failedJob, agency, "failed", sub(creator)))));
        JsonPath both = list(creatorToken, "?unread=true");
        assertEquals(2, both.getInt("meta.total"));
        assertEquals("error", both.getString("data[0].type"), "newest first");

        // Nobody else sees them: another user of the agency, the agency's admins, another agency.
        assertEquals(0, list(token("someone-" + agency, agency, "researcher"), "").getInt("meta.total"));
        assertEquals(0, list(token("admin-" + agency, agency, "agency_admin"), "").getInt("meta.total"));
        String id = mine.getString("data[0].id");
        String foreign = token(creator, UUID.randomUUID().toString(), "researcher");
        given().auth().oauth2(foreign).post("/api/v1/notifications/" + id + "/read").then().statusCode(404)
                .contentType("application/problem+json").body("type", equalTo("https://leadforge.io/problems/not-found"));
        given().auth().oauth2(token("someone-" + agency, agency, "researcher"))
                .post("/api/v1/notifications/" + id + "/read").then().statusCode(404);

        given().auth().oauth2(creatorToken).post("/api/v1/notifications/" + id + "/read").then().statusCode(200)
                .body("read", equalTo(true)).body("id", equalTo(id));
        given().auth().oauth2(creatorToken).post("/api/v1/notifications/" + id + "/read").then().statusCode(200);
        assertEquals(1, unread(creatorToken));
        assertEquals(1, list(creatorToken, "?unread=true").getInt("meta.total"));
        assertEquals(2, list(creatorToken, "?unread=false").getInt("meta.total"));
    }

    @Test
    void aCampaignStatusChangeReachesEveryAdminWithItsOwnReadStateAndTheGrantedClientsOnly() {
        String agency = UUID.randomUUID().toString();
        UUID campaign = UUID.randomUUID();
        String kept = "client-kept-" + agency;
        String revoked = "client-revoked-" + agency;
        Instant t = Instant.now();
        // Grant changes of one campaign, the revoke arriving before the grant it supersedes.
        events.publish(agency, EventType.CAMPAIGN_CLIENT_GRANTED, campaign,
                new CampaignClientGrantedEvent(campaign, agency, sub(kept), 1L, "admin", t));
        events.publish(agency, EventType.CAMPAIGN_CLIENT_REVOKED, campaign,
                new CampaignClientRevokedEvent(campaign, agency, sub(revoked), 3L, "revoked", "admin", t));
        events.publish(agency, EventType.CAMPAIGN_CLIENT_GRANTED, campaign,
                new CampaignClientGrantedEvent(campaign, agency, sub(revoked), 2L, "admin", t));
        String changed = events.publish(agency, EventType.CAMPAIGN_STATUS_CHANGED, campaign,
                new CampaignStatusChangedEvent(campaign, agency, "draft", "active", "update", "admin", t));
        events.awaitApplied(List.of(changed));

        String admin1 = token("admin1-" + agency, agency, "agency_admin");
        String admin2 = token("admin2-" + agency, agency, "agency_admin");
        String superAdmin = token("super-" + agency, UUID.randomUUID().toString(), "super_admin");
        assertEquals(1, unread(admin1));
        assertEquals(1, unread(admin2));
        assertEquals(1, given().auth().oauth2(superAdmin).header("X-Agency-Id", agency)
                .get("/api/v1/notifications/unread-count").then().statusCode(200).extract().jsonPath()
                .getLong("unread_count"), "a super_admin acting on the agency is one of its admins");
        assertEquals(1, unread(token(kept, agency, "client")));
        assertEquals(0, unread(token(revoked, agency, "client")), "the revoke is newer than the grant");
        assertEquals(0, unread(token("researcher-" + agency, agency, "researcher")));

        given().auth().oauth2(admin1).post("/api/v1/notifications/read-all").then().statusCode(200)
                .body("marked", equalTo(1));
        given().auth().oauth2(admin1).post("/api/v1/notifications/read-all").then().statusCode(200)
                .body("marked", equalTo(0));
        assertEquals(0, unread(admin1));
        assertEquals(1, unread(admin2), "one admin reading it does not read it for the others");
        assertEquals(true, list(admin1, "").getBoolean("data[0].read"));
        assertEquals(false, list(admin2, "").getBoolean("data[0].read"));

        // Read-all is as of its moment: what arrives afterwards is unread again.
        String later = events.publish(agency, EventType.CAMPAIGN_STATUS_CHANGED, campaign,
                new CampaignStatusChangedEvent(campaign, agency, "active", "paused", "update", "admin", t));
        events.awaitApplied(List.of(later));
        assertEquals(1, unread(admin1));
        assertEquals(2, unread(admin2));
    }

    @Test
    void anAssignmentNotifiesTheAssigneeAndAFailedConnectionTestTheTester() {
        String agency = UUID.randomUUID().toString();
        UUID lead = UUID.randomUUID();
        String assignee = "assignee-" + agency;
        String boss = "boss-" + agency;
        LeadSnapshot snapshot = new LeadSnapshot(lead, agency, null, "new", "pending", false, false, false, 2,
                Instant.now());
        String assigned = events.publish(agency, EventType.LEAD_ASSIGNED, lead, new LeadAssignedEvent(lead, agency,
                null, null, sub(assignee), sub(boss), Instant.now(), snapshot));
        // Taking a lead oneself notifies nobody.
        String selfAssigned = events.publish(agency, EventType.LEAD_ASSIGNED, lead, new LeadAssignedEvent(lead,
                agency, null, sub(assignee), sub(boss), sub(boss), Instant.now(), snapshot));
        UUID source = UUID.randomUUID();
        String failedTest = events.publish(agency, EventType.DATA_SOURCE_TESTED, source, new DataSourceChangedEvent(
                source, agency, "Apollo", "apollo", "error", null, false, sub(boss), Instant.now()));
        String passedTest = events.publish(agency, EventType.DATA_SOURCE_TESTED, source, new DataSourceChangedEvent(
                source, agency, "Apollo", "apollo", "active", null, true, sub(boss), Instant.now()));
        events.awaitApplied(List.of(assigned, selfAssigned, failedTest, passedTest));

        JsonPath assigneeList = list(token(assignee, agency, "researcher"), "");
        assertEquals(1, assigneeList.getInt("meta.total"));
        assertEquals("lead", assigneeList.getString("data[0].related_entity_type"));
        assertEquals("/leads/" + lead, assigneeList.getString("data[0].action_url"));
        JsonPath bossList = list(token(boss, agency, "researcher"), "");
        assertEquals(1, bossList.getInt("meta.total"), "only the failed test: " + bossList.prettify());
        assertEquals("warning", bossList.getString("data[0].type"));
        assertEquals(source.toString(), bossList.getString("data[0].related_entity_id"));
    }

    @Test
    void listsArePagedAndBoundedAndBadInputIsAProblem() {
        String agency = UUID.randomUUID().toString();
        String user = "pager-" + agency;
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            UUID jobId = UUID.randomUUID();
            ids.add(events.publish(agency, EventType.SCRAPING_JOB_COMPLETED, jobId,
                    job(jobId, agency, "completed", sub(user))));
        }
        events.awaitApplied(ids);
        String token = token(user, agency, "client");
        JsonPath page2 = list(token, "?page=2&pageSize=2");
        assertEquals(3, page2.getInt("meta.total"));
        assertEquals(1, page2.getList("data").size());
        given().auth().oauth2(token).get("/api/v1/notifications?pageSize=1000").then().statusCode(400)
                .contentType("application/problem+json");
        given().auth().oauth2(token).post("/api/v1/notifications/not-a-uuid/read").then().statusCode(400)
                .contentType("application/problem+json");
        given().get("/api/v1/notifications").then().statusCode(401).contentType("application/problem+json");
    }
}
