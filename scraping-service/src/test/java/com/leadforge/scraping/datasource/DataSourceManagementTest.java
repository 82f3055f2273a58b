package com.leadforge.scraping.datasource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.leadforge.scraping.connector.http.SourceStubs;
import com.leadforge.shared.events.CloudEventHeaders;
import com.leadforge.shared.events.Topics;
import com.leadforge.testsupport.TestTokens;
import com.leadforge.testsupport.TopicProbe;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The data source API beyond create and read: partial updates checked per type, soft delete and its rules, the
 * connection test against a stubbed API with its outcome recorded, the jobs of a source, search, sort and paging,
 * who may do what in which agency — and the events every change publishes, none of them carrying credentials.
 */
@QuarkusTest
class DataSourceManagementTest {

    static final String ACME = TestTokens.AGENCY_ACME;
    static final String BEACON = TestTokens.AGENCY_BEACON;
    static final String PROBLEM_JSON = "application/problem+json";
    static final String VALIDATION = "https://leadforge.io/problems/validation";

    static {
        io.restassured.RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    static SourceStubs stubs;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    TopicProbe events;

    @BeforeAll
    static void startStubs() {
        stubs = new SourceStubs();
    }

    @AfterAll
    static void stopStubs() {
        stubs.close();
    }

    @BeforeEach
    void probe() {
        events = new TopicProbe(bootstrapServers, Topics.SCRAPING_EVENTS);
    }

    @AfterEach
    void closeProbe() {
        events.close();
    }

    @Test
    void anUpdateChangesOnlyWhatIsSentChecksTheConfigPerTypeAndPublishesTheChangedFields() {
        String admin = TestTokens.token(ACME, "agency_admin");
        String secret = secret();
        String id = create(admin, "api", "Partner API", stubs.config("/people", null),
                "{\"type\":\"bearer\",\"token\":\"" + secret + "\"}");

        String changedConfig = stubs.config("/people/v2", "{\"type\":\"page\",\"page_size\":50}");
        given().auth().oauth2(TestTokens.token(ACME, "researcher")).contentType(ContentType.JSON)
                .body("{\"name\":\"  Partner API v2 \",\"config\":" + changedConfig + "}")
                .put("/api/v1/data-sources/" + id).then().statusCode(200)
                .body("name", Matchers.equalTo("Partner API v2"))
                .body("description", nullValue())
                .body("status", Matchers.equalTo("inactive"))
                .body("config.paging.page_size", Matchers.equalTo(50))
                .body("has_credentials", Matchers.equalTo(true))
                .body(not(containsString(secret)));
        JsonPath updated = eventData(id, "leadforge.data_source.updated.v1", 1);
        assertEquals(List.of("name", "config"), updated.getList("changed_fields"));
        assertEquals("Partner API v2", updated.getString("name"));
        assertEquals("api", updated.getString("type"));

        // Per type: the generic shape for api, Apollo's own for apollo; every wrong field named, nothing changed.
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"config\":{\"url\":\"file:///etc/passwd\",\"paging\":{\"type\":\"sideways\"},"
                        + "\"mapping\":{\"email\":\"email\"}}}")
                .put("/api/v1/data-sources/" + id).then().statusCode(400).contentType(PROBLEM_JSON)
                .body("type", Matchers.equalTo(VALIDATION))
                .body("errors.field", contains("config.url", "config.paging.type", "config.mapping.email"));
        String apollo = create(admin, "apollo", "Apollo", "{}", null);
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"config\":{\"per_page\":500,\"url\":\"https://api.apollo.io\"}}")
                .put("/api/v1/data-sources/" + apollo).then().statusCode(400)
                .body("errors.field", contains("config.url", "config.per_page"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"config\":{\"per_page\":40}}")
                .put("/api/v1/data-sources/" + apollo).then().statusCode(200).body("config.per_page",
                        Matchers.equalTo(40));
        // A client may only switch a source on and off: error and testing are the connection test's.
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"status\":\"error\"}")
                .put("/api/v1/data-sources/" + id).then().statusCode(400).body("errors.field", contains("status"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"name\":\" \"}")
                .put("/api/v1/data-sources/" + id).then().statusCode(400).body("errors.field", contains("name"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"type\":\"csv\"}")
                .put("/api/v1/data-sources/" + id).then().statusCode(400).body("errors.field", contains("type"));

        String newSecret = secret();
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"status\":\"active\",\"description\":\"Team seat\",\"credentials\":{\"type\":\"bearer\","
                        + "\"token\":\"" + newSecret + "\"}}")
                .put("/api/v1/data-sources/" + id).then().statusCode(200)
                .body("status", Matchers.equalTo("active"))
                .body("description", Matchers.equalTo("Team seat"))
                .body("masked_credentials.token", Matchers.equalTo("****" + newSecret.substring(newSecret.length() - 4)))
                .body(not(containsString(newSecret)));
        JsonPath second = eventData(id, "leadforge.data_source.updated.v1", 2);
        assertEquals(List.of("description", "status", "credentials"), second.getList("changed_fields"));
        // The same body again changes nothing: no write, no third event.
        String before = given().auth().oauth2(admin).get("/api/v1/data-sources/" + id).then().extract()
                .path("updated_at");
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"status\":\"active\",\"description\":\"Team seat\",\"credentials\":{\"type\":\"bearer\","
                        + "\"token\":\"" + newSecret + "\"}}")
                .put("/api/v1/data-sources/" + id).then().statusCode(200).body("updated_at", Matchers.equalTo(before));

        // The credentials endpoint is an update too.
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{}")
                .put("/api/v1/data-sources/" + id + "/credentials").then().statusCode(200)
                .body("has_credentials", Matchers.equalTo(false));
        JsonPath third = eventData(id, "leadforge.data_source.updated.v1", 3);
        assertEquals(List.of("credentials"), third.getList("changed_fields"));
        assertNoSecretPublished(id, secret, newSecret);
    }

    @Test
    void aSourceWithAnActiveJobCannotBeDeletedAndADeletedOneIsGoneFromTheApi() {
        String admin = TestTokens.token(ACME, "agency_admin");
        String id = create(admin, "csv", "To delete", null, null);
        String job = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"data_source_id\":\"" + id + "\"}").post("/api/v1/jobs").then().statusCode(201).extract()
                .path("id");
        given().auth().oauth2(TestTokens.token(ACME, "researcher")).delete("/api/v1/data-sources/" + id)
                .then().statusCode(403).contentType(PROBLEM_JSON);
        given().auth().oauth2(admin).delete("/api/v1/data-sources/" + id).then().statusCode(409)
                .contentType(PROBLEM_JSON).body("type", Matchers.equalTo("https://leadforge.io/problems/conflict"))
                .body("detail", containsString("1 pending, running or paused job"));
        given().auth().oauth2(admin).post("/api/v1/jobs/" + job + "/cancel").then().statusCode(200);

        given().auth().oauth2(TestTokens.token(BEACON, "agency_admin")).delete("/api/v1/data-sources/" + id)
                .then().statusCode(404);
        given().auth().oauth2(admin).delete("/api/v1/data-sources/" + id).then().statusCode(204);
        JsonPath deleted = eventData(id, "leadforge.data_source.deleted.v1", 1);
        assertEquals(ACME, deleted.getString("agency_id"));
        assertNull(deleted.get("changed_fields"));

        for (String path : List.of("", "/jobs")) {
            given().auth().oauth2(admin).get("/api/v1/data-sources/" + id + path).then().statusCode(404)
                    .contentType(PROBLEM_JSON);
        }
        given().auth().oauth2(admin).post("/api/v1/data-sources/" + id + "/test").then().statusCode(404);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"name\":\"back\"}")
                .put("/api/v1/data-sources/" + id).then().statusCode(404);
        given().auth().oauth2(admin).delete("/api/v1/data-sources/" + id).then().statusCode(404);
        given().auth().oauth2(admin).get("/api/v1/data-sources?pageSize=100").then().statusCode(200)
                .body("data.id", not(hasItem(id)));
        // Its jobs stay readable, and no new one can be made.
        given().auth().oauth2(admin).get("/api/v1/jobs/" + job).then().statusCode(200)
                .body("data_source_id", Matchers.equalTo(id));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"data_source_id\":\"" + id + "\"}")
                .post("/api/v1/jobs").then().statusCode(400).body("errors[0].field", Matchers.equalTo("data_source_id"));
    }

    @Test
    void theConnectionTestReachesTheSourceAndRecordsItsOutcome() {
        String admin = TestTokens.token(ACME, "researcher");
        String ok = SourceStubs.path("test-ok");
        stubs.server.stubFor(get(urlPathEqualTo(ok)).willReturn(okJson(SourceStubs.page(1, 3, null))));
        String secret = secret();
        String id = create(admin, "custom", "Testable", stubs.config(ok, "{\"type\":\"page\",\"page_size\":3}"),
                "{\"type\":\"api_key\",\"header\":\"X-Partner-Key\",\"value\":\"" + secret + "\"}");

        given().auth().oauth2(admin).post("/api/v1/data-sources/" + id + "/test").then().statusCode(200)
                .body("success", Matchers.equalTo(true))
                .body("message", Matchers.equalTo("Reached 127.0.0.1, authenticated: the first page holds 3 items"))
                .body("timestamp", notNullValue())
                .body(not(containsString(secret)));
        assertEquals(secret, stubs.requests(ok).get(0).getHeader("X-Partner-Key"));
        assertEquals("1", stubs.requests(ok).get(0).queryParameter("page").firstValue());
        given().auth().oauth2(admin).get("/api/v1/data-sources/" + id).then().statusCode(200)
                .body("status", Matchers.equalTo("active"))
                .body("last_test_status", Matchers.equalTo("success"))
                .body("last_test_error", nullValue())
                .body("last_test_at", notNullValue());
        JsonPath tested = eventData(id, "leadforge.data_source.tested.v1", 1);
        assertEquals(true, tested.getBoolean("test_succeeded"));
        assertEquals("active", tested.getString("status"));

        // The source now refuses the key: the test says so, the source is in error.
        stubs.server.stubFor(get(urlPathEqualTo(ok)).willReturn(aResponse().withStatus(403)));
        given().auth().oauth2(admin).post("/api/v1/data-sources/" + id + "/test").then().statusCode(200)
                .body("success", Matchers.equalTo(false))
                .body("message", Matchers.equalTo(
                        "The first page: credentials refused (HTTP 403); check the data source's credentials"));
        given().auth().oauth2(admin).get("/api/v1/data-sources/" + id).then().statusCode(200)
                .body("status", Matchers.equalTo("error"))
                .body("last_test_status", Matchers.equalTo("failed"))
                .body("last_test_error", containsString("credentials refused"));
        assertEquals(false, eventData(id, "leadforge.data_source.tested.v1", 2).getBoolean("test_succeeded"));

        // A source with no config yet, and a CSV source (nothing remote to reach).
        String bare = create(admin, "zoominfo", "Not configured", null, null);
        given().auth().oauth2(admin).post("/api/v1/data-sources/" + bare + "/test").then().statusCode(200)
                .body("success", Matchers.equalTo(false)).body("message", containsString("no config yet"));
        String csv = create(admin, "csv", "Uploads", null, null);
        given().auth().oauth2(admin).post("/api/v1/data-sources/" + csv + "/test").then().statusCode(200)
                .body("success", Matchers.equalTo(true));
        // Who may test, in which agency.
        given().auth().oauth2(TestTokens.token(ACME, "client")).post("/api/v1/data-sources/" + id + "/test")
                .then().statusCode(403);
        given().auth().oauth2(TestTokens.token(BEACON, "agency_admin")).post("/api/v1/data-sources/" + id + "/test")
                .then().statusCode(404);
        assertNoSecretPublished(id, secret);
    }

    @Test
    void theJobsOfASourceAreItsOwnAndOnlyForTheAgencysStaff() {
        String admin = TestTokens.token(ACME, "agency_admin");
        String source = create(admin, "csv", "With jobs", null, null);
        String other = create(admin, "csv", "Other", null, null);
        String first = job(admin, source);
        String second = job(admin, source);
        String elsewhere = job(admin, other);
        given().auth().oauth2(TestTokens.token(ACME, "researcher")).get("/api/v1/data-sources/" + source + "/jobs")
                .then().statusCode(200)
                .body("data.id", contains(second, first))
                .body("meta.total", Matchers.equalTo(2));
        given().auth().oauth2(admin).post("/api/v1/jobs/" + first + "/cancel").then().statusCode(200);
        given().auth().oauth2(admin).get("/api/v1/data-sources/" + source + "/jobs?status=cancelled&pageSize=1")
                .then().statusCode(200).body("data.id", contains(first));
        given().auth().oauth2(admin).get("/api/v1/data-sources/" + other + "/jobs?data_source_id=" + source)
                .then().statusCode(200).body("data.id", contains(elsewhere));
        given().auth().oauth2(TestTokens.token(ACME, "client")).get("/api/v1/data-sources/" + source + "/jobs")
                .then().statusCode(403);
        given().auth().oauth2(TestTokens.token(BEACON, "researcher")).get("/api/v1/data-sources/" + source + "/jobs")
                .then().statusCode(404);
        given().auth().oauth2(admin).get("/api/v1/data-sources/" + UUID.randomUUID() + "/jobs").then().statusCode(404);
    }

    @Test
    void theListIsSearchableByNameSortableAndPaged() {
        String admin = TestTokens.token(ACME, "agency_admin");
        String tag = "Srch" + UUID.randomUUID().toString().substring(0, 8);
        String banana = create(admin, "csv", tag + " Banana", null, null);
        String apple = create(admin, "apollo", tag + " Apple", "{}", null);
        String cherry = create(admin, "csv", tag + " Cherry 100%", null, null);
        create(BEACON, "csv", tag + " Beacon's", null, null);

        String search = "/api/v1/data-sources?search=" + tag.toLowerCase();
        given().auth().oauth2(admin).get(search + "&sortBy=name&sortOrder=asc").then().statusCode(200)
                .body("data.id", contains(apple, banana, cherry)).body("meta.total", Matchers.equalTo(3));
        given().auth().oauth2(admin).get(search + "&sortBy=name&sortOrder=desc&pageSize=2&page=2").then()
                .statusCode(200).body("data.id", contains(apple)).body("meta.has_more", Matchers.equalTo(false));
        given().auth().oauth2(admin).get(search + "&sortBy=created_at&sortOrder=asc&pageSize=2").then()
                .statusCode(200).body("data.id", contains(banana, apple)).body("meta.has_more", Matchers.equalTo(true));
        given().auth().oauth2(admin).get(search).then().statusCode(200).body("data.id", contains(cherry, apple, banana));
        given().auth().oauth2(admin).get(search + "&sortBy=type").then().statusCode(200)
                .body("data.type", contains("csv", "csv", "apollo"));
        given().auth().oauth2(admin).get(search + "&type=apollo").then().statusCode(200).body("data.id", contains(apple));
        // Wildcards are searched for, not interpreted.
        given().auth().oauth2(admin).queryParam("search", tag + " Cherry 100%").get("/api/v1/data-sources").then()
                .statusCode(200).body("data.id", contains(cherry));
        given().auth().oauth2(admin).queryParam("search", tag + "% _").get("/api/v1/data-sources").then()
                .statusCode(200).body("data", empty());
        given().auth().oauth2(TestTokens.token(ACME, "client")).get(search).then().statusCode(200)
                .body("meta.total", Matchers.equalTo(3));

        given().auth().oauth2(admin).get("/api/v1/data-sources?sortBy=credentials&sortOrder=up&search=" + "x".repeat(101))
                .then().statusCode(400).contentType(PROBLEM_JSON)
                .body("errors.field", contains("search", "sortBy", "sortOrder"));
    }

    @Test
    void createValidatesTheConfigPerTypeAndHasTheReferenceAlias() {
        String researcher = TestTokens.token(ACME, "researcher");
        given().auth().oauth2(researcher).contentType(ContentType.JSON)
                .body("{\"name\":\"Bad\",\"type\":\"linkedin\",\"config\":{\"region\":\"eu\"}}")
                .post("/api/v1/data-sources").then().statusCode(400).contentType(PROBLEM_JSON)
                .body("errors.field", contains("config.region", "config.url"));
        given().auth().oauth2(researcher).contentType(ContentType.JSON)
                .body("{\"name\":\"Bad\",\"type\":\"csv\",\"config\":{\"delimiter\":\";;\"}}")
                .post("/api/v1/data-sources/create").then().statusCode(400)
                .body("errors.field", contains("config.delimiter"));
        given().auth().oauth2(researcher).contentType(ContentType.JSON)
                .body("{\"name\":\"Via alias\",\"type\":\"linkedin\",\"config\":{\"url\":\"https://partner.example.com/p\"}}")
                .post("/api/v1/data-sources/create").then().statusCode(201)
                .header("Location", Matchers.startsWith("/api/v1/data-sources/"))
                .body("config.url", Matchers.equalTo("https://partner.example.com/p"));
        given().auth().oauth2(TestTokens.token(ACME, "client")).contentType(ContentType.JSON)
                .body("{\"name\":\"Nope\",\"type\":\"csv\"}").post("/api/v1/data-sources/create").then()
                .statusCode(403);
    }

    @Test
    void changesAreForTheAgencysStaffOnly() {
        String id = create(TestTokens.token(ACME, "agency_admin"), "csv", "Guarded", null, null);
        String body = "{\"name\":\"Taken over\"}";
        given().auth().oauth2(TestTokens.token(ACME, "client")).contentType(ContentType.JSON).body(body)
                .put("/api/v1/data-sources/" + id).then().statusCode(403).contentType(PROBLEM_JSON);
        given().auth().oauth2(TestTokens.token(ACME, "client")).delete("/api/v1/data-sources/" + id)
                .then().statusCode(403);
        for (String role : List.of("researcher", "agency_admin")) {
            given().auth().oauth2(TestTokens.token(BEACON, role)).contentType(ContentType.JSON).body(body)
                    .put("/api/v1/data-sources/" + id).then().statusCode(404).contentType(PROBLEM_JSON);
            given().auth().oauth2(TestTokens.token(BEACON, role)).contentType(ContentType.JSON).body("{}")
                    .put("/api/v1/data-sources/" + id + "/credentials").then().statusCode(404);
        }
        String root = TestTokens.user("root").agency(ACME).roles("super_admin").sign();
        given().auth().oauth2(root).header("X-Agency-Id", BEACON).delete("/api/v1/data-sources/" + id)
                .then().statusCode(404);
        given().auth().oauth2(root).header("X-Agency-Id", ACME).contentType(ContentType.JSON).body(body)
                .put("/api/v1/data-sources/" + id).then().statusCode(200)
                .body("name", Matchers.equalTo("Taken over"));
        given().auth().oauth2(TestTokens.token(ACME, "researcher")).get("/api/v1/data-sources/" + id).then()
                .body("name", Matchers.equalTo("Taken over"));
        given().auth().oauth2(root).header("X-Agency-Id", ACME).delete("/api/v1/data-sources/" + id)
                .then().statusCode(204);
    }

    // ---- helpers

    /** The data of the {@code n}th event of {@code type} about the data source (1-based), waiting for it. */
    private JsonPath eventData(String id, String type, int n) {
        List<ConsumerRecord<String, String>> found = new java.util.ArrayList<>();
        com.leadforge.testsupport.Await.until(n + " " + type + " of " + id, Duration.ofSeconds(30), () -> {
            found.clear();
            found.addAll(events.seen(r -> id.equals(r.key()) && type.equals(TopicProbe.header(r, CloudEventHeaders.TYPE))));
            return found.size() >= n;
        });
        assertEquals(n, found.size(), "exactly " + n + " " + type);
        return new JsonPath(found.get(n - 1).value());
    }

    private void assertNoSecretPublished(String id, String... secrets) {
        for (ConsumerRecord<String, String> record : events.readToEnd(r -> id.equals(r.key()), Duration.ofSeconds(30))) {
            for (String secret : secrets) {
                assertFalse(record.value().contains(secret), "an event carries a credential: " + record.value());
            }
        }
    }

    static String create(String tokenOrAgency, String type, String name, String config, String credentials) {
        String token = tokenOrAgency.equals(BEACON) ? TestTokens.token(BEACON, "agency_admin") : tokenOrAgency;
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"type\":\"" + type + "\"" + (config == null ? "" : ",\"config\":"
                        + config) + (credentials == null ? "" : ",\"credentials\":" + credentials) + "}")
                .post("/api/v1/data-sources").then().statusCode(201).extract().path("id");
    }

    static String job(String token, String source) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"data_source_id\":\"" + source + "\"}").post("/api/v1/jobs").then().statusCode(201)
                .extract().path("id");
    }

    static String secret() {
        return "sk-live-" + UUID.randomUUID();
    }
}
