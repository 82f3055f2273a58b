package com.leadforge.campaign.campaign;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.leadforge.shared.events.CloudEventHeaders;
import com.leadforge.shared.events.Topics;
import com.leadforge.testsupport.TestTokens;
import com.leadforge.testsupport.TopicProbe;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** Update, delete, listing, client grants, roles and agency isolation of campaigns. */
@QuarkusTest
class CampaignManagementTest {

    static final String PROBLEM_JSON = "application/problem+json";

    static {
        io.restassured.RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void updateChangesOnlyTheFieldsSentAndPublishesWhatChanged() {
        String agency = UUID.randomUUID().toString();
        String admin = admin(agency);
        String id = create(admin, """
                {"name":"Autumn","description":"first","start_date":"2025-09-01","end_date":"2025-09-30",
                 "target_audience":{"industries":["saas"]}}""");

        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("""
                        {"name":" Autumn push ","end_date":"2025-10-15","status":"active",
                         "target_audience":{"job_titles":["CTO"],"min_employees":5,"max_employees":50}}""")
                .put("/api/v1/campaigns/" + id)
                .then().statusCode(200)
                .body("name", equalTo("Autumn push"))
                .body("description", equalTo("first"))
                .body("start_date", equalTo("2025-09-01"))
                .body("end_date", equalTo("2025-10-15"))
                .body("status", equalTo("active"))
                .body("target_audience.job_titles", contains("CTO"))
                .body("target_audience.industries", nullValue());
        // A blank description clears it; nothing else moves.
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"description\":\"  \"}")
                .put("/api/v1/campaigns/" + id)
                .then().statusCode(200).body("description", nullValue()).body("name", equalTo("Autumn push"));

        try (TopicProbe probe = new TopicProbe(bootstrapServers, Topics.CAMPAIGN_EVENTS)) {
            ConsumerRecord<String, String> statusChanged = probe.await(r -> id.equals(r.key())
                    && "leadforge.campaign.status_changed.v1".equals(TopicProbe.header(r, CloudEventHeaders.TYPE)),
                    Duration.ofSeconds(30));
            JsonPath data = new JsonPath(statusChanged.value());
            assertEquals("draft", data.getString("old_status"));
            assertEquals("active", data.getString("new_status"));
            assertEquals("update", data.getString("reason"));
            assertEquals(agency, TopicProbe.header(statusChanged, CloudEventHeaders.AGENCY_ID));
            probe.await(r -> id.equals(r.key())
                    && "leadforge.campaign.updated.v1".equals(TopicProbe.header(r, CloudEventHeaders.TYPE))
                    && new JsonPath(r.value()).getList("changed_fields").equals(List.of("description")),
                    Duration.ofSeconds(30));
            ConsumerRecord<String, String> firstUpdate = probe.await(r -> id.equals(r.key())
                    && "leadforge.campaign.updated.v1".equals(TopicProbe.header(r, CloudEventHeaders.TYPE))
                    && new JsonPath(r.value()).getList("changed_fields").contains("name"), Duration.ofSeconds(30));
            assertEquals(List.of("name", "end_date", "target_audience"),
                    new JsonPath(firstUpdate.value()).getList("changed_fields"));
        }
    }

    @Test
    void invalidUpdatesAreProblemsAndChangeNothing() {
        String agency = UUID.randomUUID().toString();
        String admin = admin(agency);
        create(admin, "{\"name\":\"Taken\"}");
        String id = create(admin, "{\"name\":\"Mine\",\"start_date\":\"2025-06-10\"}");

        // The stored start date is part of the rule even when only the end date is sent.
        invalid(admin, id, "{\"end_date\":\"2025-06-01\"}", "end_date");
        invalid(admin, id, "{\"start_date\":\"2025-07-01\",\"end_date\":\"2025-06-30\"}", "end_date");
        invalid(admin, id, "{\"name\":\"   \"}", "name");
        invalid(admin, id, "{\"target_audience\":{\"industries\":\"saas\"}}", "target_audience.industries");
        invalid(admin, id, "{\"target_audience\":{\"budget\":100}}", "target_audience.budget");
        invalid(admin, id, "{\"target_audience\":{\"min_employees\":-1}}", "target_audience.min_employees");
        invalid(admin, id, "{\"target_audience\":{\"min_employees\":50,\"max_employees\":10}}",
                "target_audience.max_employees");
        invalid(admin, id, "{\"target_audience\":{\"locations\":[\"\"]}}", "target_audience.locations");
        invalid(admin, id, "{\"status\":\"finished\"}", "status");
        invalid(admin, id, "{\"leads_count\":5}", "leads_count");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"name\":\"TAKEN\"}")
                .put("/api/v1/campaigns/" + id)
                .then().statusCode(409).contentType(PROBLEM_JSON)
                .body("type", equalTo("https://leadforge.io/problems/conflict"));
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .put("/api/v1/campaigns/" + id)
                .then().statusCode(400).contentType(PROBLEM_JSON)
                .body("type", equalTo("https://leadforge.io/problems/malformed-request"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{}")
                .put("/api/v1/campaigns/" + UUID.randomUUID())
                .then().statusCode(404).contentType(PROBLEM_JSON);
        // Creation checks the audience shape too.
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\":\"Wrong audience\",\"target_audience\":{\"industries\":[1,2]}}")
                .post("/api/v1/campaigns")
                .then().statusCode(400).body("errors.field", contains("target_audience.industries"));

        given().auth().oauth2(admin).get("/api/v1/campaigns/" + id)
                .then().statusCode(200)
                .body("name", equalTo("Mine"))
                .body("start_date", equalTo("2025-06-10"))
                .body("end_date", nullValue())
                .body("status", equalTo("draft"));
    }

    @Test
    void aCampaignWithoutLeadsIsDeletedAndAnnounced() {
        String agency = UUID.randomUUID().toString();
        String admin = admin(agency);
        String id = create(admin, "{\"name\":\"Short-lived\"}");
        given().auth().oauth2(admin).put("/api/v1/campaigns/" + id + "/clients/some-client").then().statusCode(201);

        given().auth().oauth2(admin).delete("/api/v1/campaigns/" + id).then().statusCode(204);
        given().auth().oauth2(admin).get("/api/v1/campaigns/" + id).then().statusCode(404);
        given().auth().oauth2(admin).delete("/api/v1/campaigns/" + id).then().statusCode(404)
                .contentType(PROBLEM_JSON);
        // The name is free again.
        create(admin, "{\"name\":\"Short-lived\"}");
        try (TopicProbe probe = new TopicProbe(bootstrapServers, Topics.CAMPAIGN_EVENTS)) {
            ConsumerRecord<String, String> deleted = probe.await(r -> id.equals(r.key())
                    && "leadforge.campaign.deleted.v1".equals(TopicProbe.header(r, CloudEventHeaders.TYPE)),
                    Duration.ofSeconds(30));
            assertEquals("Short-lived", new JsonPath(deleted.value()).getString("name"));
        }
    }

    @Test
    void listSearchesSortsAndPages() {
        String agency = UUID.randomUUID().toString();
        String admin = admin(agency);
        String beta = create(admin, "{\"name\":\"Beta launch\",\"description\":\"SaaS founders\"}");
        String alpha = create(admin, "{\"name\":\"Alpha 50% off\"}");
        String gamma = create(admin, "{\"name\":\"Gamma\",\"status\":\"active\"}");

        given().auth().oauth2(admin).get("/api/v1/campaigns?sortBy=name&sortOrder=asc")
                .then().statusCode(200)
                .body("data.id", contains(alpha, beta, gamma))
                .body("meta.total", equalTo(3))
                .body("meta.has_more", equalTo(false));
        given().auth().oauth2(admin).get("/api/v1/campaigns?sortBy=name&sortOrder=desc&pageSize=2&page=2")
                .then().statusCode(200)
                .body("data.id", contains(alpha))
                .body("meta.total", equalTo(3));
        given().auth().oauth2(admin).get("/api/v1/campaigns?sortBy=created_at&sortOrder=asc")
                .then().statusCode(200).body("data.id", contains(beta, alpha, gamma));
        given().auth().oauth2(admin).get("/api/v1/campaigns?search=saas")
                .then().statusCode(200).body("data.id", contains(beta));
        given().auth().oauth2(admin).queryParam("search", "50%").get("/api/v1/campaigns")
                .then().statusCode(200).body("data.id", contains(alpha));
        // % is a character to find, not a wildcard.
        given().auth().oauth2(admin).queryParam("search", "%a").get("/api/v1/campaigns")
                .then().statusCode(200).body("data", empty());
        given().auth().oauth2(admin).get("/api/v1/campaigns?search=a&status=active")
                .then().statusCode(200).body("data.id", contains(gamma));
        for (String bad : List.of("sortBy=password", "sortOrder=up", "search=" + "x".repeat(101), "page=0",
                "pageSize=abc")) {
            given().auth().oauth2(admin).get("/api/v1/campaigns?" + bad)
                    .then().statusCode(400).contentType(PROBLEM_JSON);
        }
    }

    @Test
    void aClientReadsOnlyTheCampaignsSharedWithIt() {
        String agency = UUID.randomUUID().toString();
        String admin = admin(agency);
        String shared = create(admin, "{\"name\":\"Shared\"}");
        String hidden = create(admin, "{\"name\":\"Hidden\"}");
        String client = TestTokens.user("client-x").agency(agency).roles("client").sign();
        String clientSub = CampaignResourceTest.subjectOf("client-x");

        given().auth().oauth2(client).get("/api/v1/campaigns").then().statusCode(200).body("data", empty());
        given().auth().oauth2(admin).put("/api/v1/campaigns/" + shared + "/clients/" + clientSub)
                .then().statusCode(201);
        given().auth().oauth2(admin).put("/api/v1/campaigns/" + shared + "/clients/" + clientSub)
                .then().statusCode(204);
        given().auth().oauth2(client).get("/api/v1/campaigns")
                .then().statusCode(200).body("data.id", contains(shared)).body("meta.total", equalTo(1));
        given().auth().oauth2(client).get("/api/v1/campaigns/" + shared).then().statusCode(200);
        given().auth().oauth2(client).get("/api/v1/campaigns/" + hidden).then().statusCode(404)
                .contentType(PROBLEM_JSON);
        // Another client of the same agency sees nothing of it; researchers see the whole agency.
        given().auth().oauth2(TestTokens.user("client-y").agency(agency).roles("client").sign())
                .get("/api/v1/campaigns/" + shared).then().statusCode(404);
        given().auth().oauth2(TestTokens.user("r").agency(agency).roles("researcher").sign())
                .get("/api/v1/campaigns").then().statusCode(200).body("data.id", containsInAnyOrder(shared, hidden));
        given().auth().oauth2(admin).get("/api/v1/campaigns/" + shared + "/clients")
                .then().statusCode(200).body("data.user_id", contains(clientSub)).body("meta.total", equalTo(1));
        // A client cannot share or modify.
        given().auth().oauth2(client).put("/api/v1/campaigns/" + hidden + "/clients/" + clientSub)
                .then().statusCode(403).contentType(PROBLEM_JSON);
        given().auth().oauth2(client).contentType(ContentType.JSON).body("{\"name\":\"mine now\"}")
                .put("/api/v1/campaigns/" + shared).then().statusCode(403);

        given().auth().oauth2(admin).delete("/api/v1/campaigns/" + shared + "/clients/" + clientSub)
                .then().statusCode(204);
        given().auth().oauth2(admin).delete("/api/v1/campaigns/" + shared + "/clients/" + clientSub)
                .then().statusCode(204);
        given().auth().oauth2(client).get("/api/v1/campaigns/" + shared).then().statusCode(404);
        given().auth().oauth2(admin).put("/api/v1/campaigns/" + shared + "/clients/bad%20id")
                .then().statusCode(400).contentType(PROBLEM_JSON);
    }

    @Test
    void researchersReadButCannotModify() {
        String agency = UUID.randomUUID().toString();
        String id = create(admin(agency), "{\"name\":\"Read only\"}");
        String researcher = TestTokens.user("res").agency(agency).roles("researcher").sign();
        given().auth().oauth2(researcher).get("/api/v1/campaigns/" + id).then().statusCode(200);
        given().auth().oauth2(researcher).contentType(ContentType.JSON).body("{\"status\":\"active\"}")
                .put("/api/v1/campaigns/" + id).then().statusCode(403).contentType(PROBLEM_JSON)
                .body("type", equalTo("https://leadforge.io/problems/forbidden"));
        given().auth().oauth2(researcher).delete("/api/v1/campaigns/" + id).then().statusCode(403);
        given().auth().oauth2(researcher).put("/api/v1/campaigns/" + id + "/clients/x").then().statusCode(403);
        given().auth().oauth2(researcher).contentType(ContentType.JSON).body("{\"name\":\"alias\"}")
                .post("/api/v1/campaigns/create").then().statusCode(403);
        given().auth().oauth2(admin(agency)).get("/api/v1/campaigns/" + id)
                .then().body("status", equalTo("draft")).body("name", equalTo("Read only"));
    }

    @Test
    void anotherAgencyCannotReadChangeDeleteOrShareTheCampaign() {
        String agency = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        String id = create(admin(agency), "{\"name\":\"Private\"}");
        String intruder = admin(other);

        given().auth().oauth2(intruder).get("/api/v1/campaigns/" + id).then().statusCode(404)
                .contentType(PROBLEM_JSON).body("type", equalTo("https://leadforge.io/problems/not-found"));
        given().auth().oauth2(intruder).contentType(ContentType.JSON).body("{\"name\":\"hijacked\"}")
                .put("/api/v1/campaigns/" + id).then().statusCode(404);
        given().auth().oauth2(intruder).delete("/api/v1/campaigns/" + id).then().statusCode(404);
        given().auth().oauth2(intruder).delete("/api/v1/campaigns/" + id + "?force=true").then().statusCode(404);
        given().auth().oauth2(intruder).put("/api/v1/campaigns/" + id + "/clients/spy").then().statusCode(404);
        given().auth().oauth2(intruder).get("/api/v1/campaigns/" + id + "/clients").then().statusCode(404);
        given().auth().oauth2(intruder).get("/api/v1/campaigns?search=Private")
                .then().statusCode(200).body("data.id", not(hasItem(id)));
        // Naming the other agency in the header is only for super admins.
        given().auth().oauth2(intruder).header("X-Agency-Id", agency).get("/api/v1/campaigns/" + id)
                .then().statusCode(403);
        // The same name is free in the other agency.
        create(intruder, "{\"name\":\"Private\"}");

        given().auth().oauth2(admin(agency)).get("/api/v1/campaigns/" + id)
                .then().statusCode(200).body("name", equalTo("Private")).body("status", equalTo("draft"));
        given().auth().oauth2(admin(agency)).get("/api/v1/campaigns/" + id + "/clients")
                .then().statusCode(200).body("data", empty());
    }

    @Test
    void theSeedsCreatePathIsAnAlias() {
        String admin = admin(UUID.randomUUID().toString());
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"name\":\"Via alias\"}")
                .post("/api/v1/campaigns/create")
                .then().statusCode(201).body("name", equalTo("Via alias")).body("status", equalTo("draft"));
    }

    static String admin(String agency) {
        return TestTokens.user("admin-" + agency.substring(0, 8)).agency(agency).roles("agency_admin").sign();
    }

    static String create(String token, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .post("/api/v1/campaigns").then().statusCode(201).extract().path("id");
    }

    private static void invalid(String token, String id, String body, String field) {
        given().auth().oauth2(token).contentType(ContentType.JSON).body(body.getBytes(StandardCharsets.UTF_8))
                .put("/api/v1/campaigns/" + id)
                .then().statusCode(400).contentType(PROBLEM_JSON)
                .body("type", equalTo("https://leadforge.io/problems/validation"))
                .body("errors.field", contains(field));
    }
}
