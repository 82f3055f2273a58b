package com.leadforge.campaign.campaign;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.leadforge.shared.events.CloudEventHeaders;
import com.leadforge.shared.events.Topics;
import com.leadforge.testsupport.RealInfrastructure;
import com.leadforge.testsupport.TestTokens;
import com.leadforge.testsupport.TopicProbe;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = {
        @ResourceArg(name = "database", value = "campaigns"),
        @ResourceArg(name = "topics", value = Topics.CAMPAIGN_EVENTS + "," + Topics.LEAD_EVENTS) })
class CampaignResourceTest {

    static final String ACME = TestTokens.AGENCY_ACME;
    static final String BEACON = TestTokens.AGENCY_BEACON;
    static final String PROBLEM_JSON = "application/problem+json";
    static final String CONFLICT = "https://leadforge.io/problems/conflict";
    static final String VALIDATION = "https://leadforge.io/problems/validation";

    static {
        io.restassured.RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void createdCampaignIsStoredInTheCallersAgencyAndPublishedAsACloudEvent() {
        String name = unique("Spring outreach");
        String id = given().auth().oauth2(TestTokens.token(ACME, "agency_admin"))
                .contentType(ContentType.JSON)
                .body("""
                        {"name":"  %s  ","description":"Founders in the Nordics","status":"active",
                         "start_date":"2025-03-01","end_date":"2025-03-31",
                         "target_audience":{"industries":["saas","fintech"],"min_employees":10}}""".formatted(name))
                .when().post("/api/v1/campaigns")
                .then().statusCode(201)
                .contentType(ContentType.JSON)
                .header("Location", startsWith("/api/v1/campaigns/"))
                .body("name", equalTo(name))
                .body("status", equalTo("active"))
                .extract().path("id");

        // A client reads a campaign only once it is shared with it (its token subject).
        String client = TestTokens.token(ACME, "client");
        given().auth().oauth2(client)
                .when().get("/api/v1/campaigns/" + id)
                .then().statusCode(404);
        given().auth().oauth2(TestTokens.token(ACME, "agency_admin"))
                .when().put("/api/v1/campaigns/" + id + "/clients/" + subjectOf("client-" + ACME.substring(0, 4)))
                .then().statusCode(201);
        given().auth().oauth2(client)
                .when().get("/api/v1/campaigns/" + id)
                .then().statusCode(200)
                .body("id", equalTo(id))
                .body("agency_id", equalTo(ACME))
                .body("name", equalTo(name))
                .body("description", equalTo("Founders in the Nordics"))
                .body("status", equalTo("active"))
                .body("start_date", equalTo("2025-03-01"))
                .body("end_date", equalTo("2025-03-31"))
                .body("target_audience.industries", contains("saas", "fintech"))
                .body("target_audience.min_employees", equalTo(10))
                .body("leads_count", equalTo(0))
                .body("qualified_leads_count", equalTo(0))
                .body("contacted_count", equalTo(0))
                .body("responded_count", equalTo(0))
                .body("created_by", equalTo(UUID.nameUUIDFromBytes(
                        ("agency_admin-" + ACME.substring(0, 4)).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .toString()));

        try (TopicProbe probe = new TopicProbe(bootstrapServers, Topics.CAMPAIGN_EVENTS)) {
            ConsumerRecord<String, String> record = probe.await(r -> id.equals(r.key()), Duration.ofSeconds(30));
            assertEquals("1.0", TopicProbe.header(record, CloudEventHeaders.SPEC_VERSION));
            assertEquals("leadforge.campaign.created.v1", TopicProbe.header(record, CloudEventHeaders.TYPE));
            assertEquals(ACME, TopicProbe.header(record, CloudEventHeaders.AGENCY_ID));
            assertEquals(id, TopicProbe.header(record, CloudEventHeaders.SUBJECT));
            assertEquals("/leadforge/campaign-service", TopicProbe.header(record, CloudEventHeaders.SOURCE));
            assertEquals("application/json", TopicProbe.header(record, CloudEventHeaders.CONTENT_TYPE));
            assertEquals(36, TopicProbe.header(record, CloudEventHeaders.ID).length());
            org.junit.jupiter.api.Assertions.assertNotNull(TopicProbe.header(record, CloudEventHeaders.TIME));
            io.restassured.path.json.JsonPath data = new io.restassured.path.json.JsonPath(record.value());
            assertEquals(id, data.getString("campaign_id"));
            assertEquals(ACME, data.getString("agency_id"));
            assertEquals(name, data.getString("name"));
            assertEquals("active", data.getString("status"));
        }
    }

    @Test
    void anotherAgencyCannotSeeTheCampaign() {
        String id = createCampaign(TestTokens.token(ACME, "agency_admin"), unique("Hidden"));

        given().auth().oauth2(TestTokens.token(BEACON, "agency_admin"))
                .when().get("/api/v1/campaigns/" + id)
                .then().statusCode(404)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("https://leadforge.io/problems/not-found"));
        given().auth().oauth2(TestTokens.token(BEACON, "agency_admin"))
                .when().get("/api/v1/campaigns?pageSize=100")
                .then().statusCode(200)
                .body("data.id", not(hasItem(id)));
        given().auth().oauth2(TestTokens.token(BEACON, "agency_admin"))
                .when().get("/api/v1/campaigns?pageSize=100&status=draft")
                .then().statusCode(200)
                .body("data.id", not(hasItem(id)));
        given().auth().oauth2(TestTokens.token(ACME, "researcher"))
                .when().get("/api/v1/campaigns?pageSize=100")
                .then().statusCode(200)
                .body("data.id", hasItem(id))
                .body("meta.page_size", equalTo(100))
                .body("meta.page", equalTo(1));
    }

    @Test
    void listIsNewestFirstPagedAndFilteredByStatus() {
        String token = TestTokens.token(ACME, "agency_admin");
        String draft = createCampaign(token, unique("Draft"));
        String active = given().auth().oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"%s\",\"status\":\"active\"}".formatted(unique("Live")))
                .when().post("/api/v1/campaigns")
                .then().statusCode(201)
                .extract().path("id");

        given().auth().oauth2(token)
                .when().get("/api/v1/campaigns?pageSize=100&status=draft")
                .then().statusCode(200)
                .body("data.id", hasItem(draft))
                .body("data.id", not(hasItem(active)))
                .body("data.status", not(hasItem("active")));
        given().auth().oauth2(token)
                .when().get("/api/v1/campaigns?pageSize=100&status=active")
                .then().statusCode(200)
                .body("data.id", hasItem(active))
                .body("data.id", not(hasItem(draft)));
        given().auth().oauth2(token)
                .when().get("/api/v1/campaigns?pageSize=1")
                .then().statusCode(200)
                .body("data.id", contains(active))
                .body("meta.page_size", equalTo(1))
                .body("meta.has_more", equalTo(true));
        given().auth().oauth2(token)
                .when().get("/api/v1/campaigns?pageSize=1&page=2")
                .then().statusCode(200)
                .body("data.id", contains(draft))
                .body("meta.page", equalTo(2));
    }

    @Test
    void aNameIsUniqueWithinAnAgencyIgnoringCase() {
        String name = unique("Q3 Push");
        createCampaign(TestTokens.token(ACME, "agency_admin"), name);

        given().auth().oauth2(TestTokens.token(ACME, "agency_admin"))
                .contentType(ContentType.JSON)
                .body("{\"name\":\" %s \"}".formatted(name.toUpperCase()))
                .when().post("/api/v1/campaigns")
                .then().statusCode(409)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo(CONFLICT))
                .body("status", equalTo(409));
        // Another agency may use the same name.
        createCampaign(TestTokens.token(BEACON, "agency_admin"), name);
    }

    @Test
    void concurrentCreatesOfOneNameYieldOneCampaignAndConflicts() throws Exception {
        String name = unique("Race");
        String token = TestTokens.token(ACME, "agency_admin");
        int attempts = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                statuses.add(pool.submit(() -> {
                    start.await();
                    return given().auth().oauth2(token)
                            .contentType(ContentType.JSON)
                            .body("{\"name\":\"%s\"}".formatted(name))
                            .when().post("/api/v1/campaigns")
                            .then().extract().statusCode();
                }));
            }
            start.countDown();
            List<Integer> answered = new ArrayList<>();
            for (Future<Integer> status : statuses) {
                answered.add(status.get(60, TimeUnit.SECONDS));
            }
            assertEquals(1, answered.stream().filter(s -> s == 201).count(), "answers: " + answered);
            assertEquals(attempts - 1, answered.stream().filter(s -> s == 409).count(), "answers: " + answered);
        } finally {
            pool.shutdownNow();
        }
        given().auth().oauth2(token)
                .when().get("/api/v1/campaigns?pageSize=100")
                .then().statusCode(200)
                .body("data.findAll { it.name == '%s' }.size()".formatted(name), equalTo(1));
    }

    @Test
    void invalidInputIsAProblemWithFieldDetails() {
        String admin = TestTokens.token(ACME, "agency_admin");
        assertFields(admin, "{}", "name");
        assertFields(admin, "{\"name\":\"   \"}", "name");
        assertFields(admin, "{\"name\":\"%s\"}".formatted("x".repeat(201)), "name");
        assertFields(admin, "{\"name\":\"%s\",\"description\":\"%s\"}"
                .formatted(unique("Long"), "d".repeat(2001)), "description");
        assertFields(admin, "{\"name\":\"%s\",\"status\":\"paused\"}".formatted(unique("Paused")), "status");
        assertFields(admin, "{\"name\":\"%s\",\"status\":\"sky-high\"}".formatted(unique("Sky")), "status");
        assertFields(admin, """
                {"name":"%s","start_date":"2025-04-10","end_date":"2025-04-09"}""".formatted(unique("Backwards")),
                "end_date");
        assertFields(admin, """
                {"name":"%s","start_date":"2025-13-45"}""".formatted(unique("Bad date")), "start_date");
        assertFields(admin, """
                {"name":"%s","end_date":"next friday"}""".formatted(unique("Bad date")), "end_date");
        assertFields(admin, """
                {"name":"%s","target_audience":"everyone"}""".formatted(unique("Audience")), "target_audience");
        String manyKeys = IntStream.range(0, 51).mapToObj(i -> "\"k" + i + "\":" + i)
                .collect(Collectors.joining(",", "{", "}"));
        assertFields(admin, """
                {"name":"%s","target_audience":%s}""".formatted(unique("Wide"), manyKeys), "target_audience");
        // Several problems at once are all reported, each under the name the client sent.
        given().auth().oauth2(admin)
                .contentType(ContentType.JSON)
                .body("""
                        {"name":"","status":"archived","start_date":"2025-05-02","end_date":"2025-05-01"}""")
                .when().post("/api/v1/campaigns")
                .then().statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo(VALIDATION))
                .body("errors.field", contains("end_date", "name", "status"));
        // The agency is never chosen in the body.
        given().auth().oauth2(admin)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"%s\",\"agency_id\":\"%s\"}".formatted(unique("Sneaky"), BEACON))
                .when().post("/api/v1/campaigns")
                .then().statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("errors[0].field", equalTo("agency_id"));
        given().auth().oauth2(admin)
                .contentType(ContentType.JSON)
                .body("{\"name\": ")
                .when().post("/api/v1/campaigns")
                .then().statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("https://leadforge.io/problems/malformed-request"))
                .body("detail", not(containsString("Exception")));
        given().auth().oauth2(admin)
                .when().get("/api/v1/campaigns?status=bogus")
                .then().statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo(VALIDATION))
                .body("errors.field", contains("status"));
        given().auth().oauth2(admin)
                .when().get("/api/v1/campaigns?pageSize=1000")
                .then().statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("errors.field", hasItem("pageSize"));
        given().auth().oauth2(admin)
                .when().get("/api/v1/campaigns/not-a-uuid")
                .then().statusCode(400)
                .contentType(PROBLEM_JSON);
    }

    @Test
    void superAdminMustNameTheAgencyItActsOn() {
        String superAdmin = TestTokens.user("root").agency(ACME).roles("super_admin").sign();
        given().auth().oauth2(superAdmin)
                .when().get("/api/v1/campaigns")
                .then().statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("https://leadforge.io/problems/agency-required"));

        String id = given().auth().oauth2(superAdmin)
                .header("X-Agency-Id", BEACON)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"%s\"}".formatted(unique("Made by root")))
                .when().post("/api/v1/campaigns")
                .then().statusCode(201)
                .body("agency_id", equalTo(BEACON))
                .body("status", equalTo("draft"))
                .body("description", nullValue())
                .extract().path("id");
        given().auth().oauth2(superAdmin)
                .header("X-Agency-Id", BEACON)
                .when().put("/api/v1/campaigns/" + id + "/clients/" + subjectOf("client-" + BEACON.substring(0, 4)))
                .then().statusCode(201);
        given().auth().oauth2(TestTokens.token(BEACON, "client"))
                .when().get("/api/v1/campaigns/" + id)
                .then().statusCode(200);
        given().auth().oauth2(TestTokens.token(ACME, "researcher"))
                .header("X-Agency-Id", BEACON)
                .when().get("/api/v1/campaigns/" + id)
                .then().statusCode(403)
                .contentType(PROBLEM_JSON);
    }

    @Test
    void rolesAndTokensAreEnforced() {
        String body = "{\"name\":\"%s\"}".formatted(unique("Forbidden"));
        given().contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/campaigns")
                .then().statusCode(401)
                .contentType(PROBLEM_JSON)
                .header("WWW-Authenticate", "Bearer");
        given().when().get("/api/v1/campaigns")
                .then().statusCode(401)
                .contentType(PROBLEM_JSON);
        for (String role : List.of("client", "researcher")) {
            given().auth().oauth2(TestTokens.token(ACME, role))
                    .contentType(ContentType.JSON).body(body)
                    .when().post("/api/v1/campaigns")
                    .then().statusCode(403)
                    .contentType(PROBLEM_JSON)
                    .body("type", equalTo("https://leadforge.io/problems/forbidden"));
        }
        for (String role : List.of("client", "researcher", "agency_admin")) {
            given().auth().oauth2(TestTokens.token(ACME, role))
                    .when().get("/api/v1/campaigns")
                    .then().statusCode(200);
        }
        given().auth().oauth2(TestTokens.user("expired").agency(ACME).roles("agency_admin")
                        .shiftedBySeconds(-7200).sign())
                .when().get("/api/v1/campaigns")
                .then().statusCode(401)
                .contentType(PROBLEM_JSON);
        given().auth().oauth2(TestTokens.user("other-audience").agency(ACME).roles("agency_admin")
                        .claim("aud", "someone-else").sign())
                .when().get("/api/v1/campaigns")
                .then().statusCode(401);
        given().auth().oauth2(TestTokens.user("no-agency").roles("agency_admin").sign())
                .when().get("/api/v1/campaigns")
                .then().statusCode(403)
                .contentType(PROBLEM_JSON);
    }

    @TestHTTPResource(value = "/", management = true)
    URL management;

    private String managementBase() {
        return "http://" + management.getHost() + ":" + management.getPort();
    }

    @Test
    void readinessFollowsTheDatabaseOnlyOnTheManagementPortOnly() {
        given().baseUri(managementBase()).when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Database connections health check"))
                // A broker outage must not take the API out of service: the outbox holds the events meanwhile.
                .body("checks.name", org.hamcrest.Matchers.not(hasItem("Kafka connection health check")));
        given().baseUri(managementBase()).when().get("/q/metrics").then().statusCode(200);
        given().baseUri(managementBase()).when().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/campaigns"))
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/campaigns/{id}/clients/{userId}"))
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/campaigns/reconcile"))
                // Generated clients must send the status codes the API accepts.
                .body("components.schemas.CampaignStatus.enum", contains("draft", "active", "paused", "completed",
                        "archived"));
        // The API port serves /api/v1/** only.
        given().when().get("/q/health/ready").then().statusCode(404).contentType("application/problem+json");
        given().when().get("/q/metrics").then().statusCode(404).contentType("application/problem+json");
        given().when().get("/q/openapi").then().statusCode(404).contentType("application/problem+json");
    }

    private static void assertFields(String token, String body, String... fields) {
        given().auth().oauth2(token)
                .contentType(ContentType.JSON)
                .body(body)
                .when().post("/api/v1/campaigns")
                .then().statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo(VALIDATION))
                .body("errors.field", contains(fields));
    }

    private static String createCampaign(String token, String name) {
        return given().auth().oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"%s\"}".formatted(name))
                .when().post("/api/v1/campaigns")
                .then().statusCode(201)
                .contentType(ContentType.JSON)
                .header("Location", startsWith("/api/v1/campaigns/"))
                .body("status", equalTo("draft"))
                .extract().path("id");
    }

    /** The {@code sub} TestTokens gives a user name. */
    static String subjectOf(String username) {
        return UUID.nameUUIDFromBytes(username.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }

    /** Tests share one database, so every name they create is their own. */
    private static String unique(String name) {
        return name + " " + UUID.randomUUID().toString().substring(0, 8);
    }
}
