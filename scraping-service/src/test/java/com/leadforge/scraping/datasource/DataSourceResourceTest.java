package com.leadforge.scraping.datasource;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
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
import io.restassured.response.ValidatableResponse;

@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = {
        @ResourceArg(name = "database", value = "scraping"),
        @ResourceArg(name = "topics", value = Topics.SCRAPING_EVENTS + "," + Topics.LEAD_EVENTS + ","
                + Topics.CAMPAIGN_EVENTS) })
class DataSourceResourceTest {

    static final String ACME = TestTokens.AGENCY_ACME;
    static final String BEACON = TestTokens.AGENCY_BEACON;
    static final String PROBLEM_JSON = "application/problem+json";
    static final String VALIDATION = "https://leadforge.io/problems/validation";

    static {
        io.restassured.RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void createdDataSourceIsStoredInTheCallersAgencyAndPublishedAsACloudEvent() {
        String secret = secret();
        String id = given().auth().oauth2(TestTokens.token(ACME, "researcher"))
                .contentType(ContentType.JSON)
                .body("""
                        {"name":"  Sales Navigator  ","type":"linkedin","description":"Team seat",
                         "config":{"url":"https://partner.example.com/people","max_pages":500},
                         "credentials":{"api_key":"%s","login":{"user":"bot","password":"%s"}}}"""
                        .formatted(secret, secret))
                .when().post("/api/v1/data-sources")
                .then().statusCode(201)
                .contentType(ContentType.JSON)
                .header("Location", startsWith("/api/v1/data-sources/"))
                .body("name", equalTo("Sales Navigator"))
                .body("$", not(hasKey("credentials")))
                .body("has_credentials", equalTo(true))
                .body(not(containsString(secret)))
                .extract().path("id");

        given().auth().oauth2(TestTokens.token(ACME, "client"))
                .when().get("/api/v1/data-sources/" + id)
                .then().statusCode(200)
                .body("id", equalTo(id))
                .body("agency_id", equalTo(ACME))
                .body("name", equalTo("Sales Navigator"))
                .body("type", equalTo("linkedin"))
                .body("status", equalTo("inactive"))
                .body("description", equalTo("Team seat"))
                .body("config.url", equalTo("https://partner.example.com/people"))
                .body("config.max_pages", equalTo(500))
                .body("has_credentials", equalTo(true))
                .body("$", not(hasKey("credentials")))
                .body("total_jobs", equalTo(0))
                .body("successful_jobs", equalTo(0))
                .body("failed_jobs", equalTo(0))
                .body("total_records_scraped", equalTo(0))
                .body(not(containsString(secret)));

        try (TopicProbe probe = new TopicProbe(bootstrapServers, Topics.SCRAPING_EVENTS)) {
            ConsumerRecord<String, String> record = probe.await(r -> id.equals(r.key()), Duration.ofSeconds(30));
            assertEquals("1.0", TopicProbe.header(record, CloudEventHeaders.SPEC_VERSION));
            assertEquals("leadforge.data_source.created.v1", TopicProbe.header(record, CloudEventHeaders.TYPE));
            assertEquals(ACME, TopicProbe.header(record, CloudEventHeaders.AGENCY_ID));
            assertEquals(id, TopicProbe.header(record, CloudEventHeaders.SUBJECT));
            assertEquals("/leadforge/scraping-service", TopicProbe.header(record, CloudEventHeaders.SOURCE));
            assertEquals("application/json", TopicProbe.header(record, CloudEventHeaders.CONTENT_TYPE));
            assertEquals(36, TopicProbe.header(record, CloudEventHeaders.ID).length());
            io.restassured.path.json.JsonPath data = new io.restassured.path.json.JsonPath(record.value());
            assertEquals(id, data.getString("data_source_id"));
            assertEquals(ACME, data.getString("agency_id"));
            assertEquals("Sales Navigator", data.getString("name"));
            assertEquals("linkedin", data.getString("type"));
            assertEquals("inactive", data.getString("status"));
            assertFalse(record.value().contains(secret), "the event carries the credentials");
        }
    }

    @Test
    void credentialsNeverAppearInAnyResponse() {
        String secret = secret();
        String token = TestTokens.token(ACME, "agency_admin");
        String id = createDataSource(token, "apollo", "{\"token\":\"" + secret + "\"}")
                .body("has_credentials", equalTo(true))
                .extract().path("id");

        for (String role : List.of("client", "researcher", "agency_admin")) {
            given().auth().oauth2(TestTokens.token(ACME, role))
                    .when().get("/api/v1/data-sources/" + id)
                    .then().statusCode(200)
                    .body("has_credentials", equalTo(true))
                    .body("$", not(hasKey("credentials")))
                    .body(not(containsString(secret)));
            given().auth().oauth2(TestTokens.token(ACME, role))
                    .when().get("/api/v1/data-sources?pageSize=100")
                    .then().statusCode(200)
                    .body("data.id", hasItem(id))
                    .body("data", everyItem(not(hasKey("credentials"))))
                    .body(not(containsString(secret)));
        }
        // A rejected request does not echo the credentials either.
        given().auth().oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"\",\"type\":\"api\",\"credentials\":{\"token\":\"%s\"}}".formatted(secret))
                .when().post("/api/v1/data-sources")
                .then().statusCode(400)
                .body("errors.field", contains("name"))
                .body(not(containsString(secret)));
        given().auth().oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"Bad\",\"type\":\"api\",\"credentials\":[\"%s\"]}".formatted(secret))
                .when().post("/api/v1/data-sources")
                .then().statusCode(400)
                .body("errors.field", contains("credentials"))
                .body(not(containsString(secret)));
        // No credentials, or an empty object, is "has none".
        createDataSource(token, "csv", null).body("has_credentials", equalTo(false));
        createDataSource(token, "csv", "{}").body("has_credentials", equalTo(false));
    }

    @Test
    void anotherAgencyCannotSeeTheDataSource() {
        String id = createDataSource(TestTokens.token(ACME, "agency_admin"), "zoominfo", null).extract().path("id");

        given().auth().oauth2(TestTokens.token(BEACON, "agency_admin"))
                .when().get("/api/v1/data-sources/" + id)
                .then().statusCode(404)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("https://leadforge.io/problems/not-found"));
        given().auth().oauth2(TestTokens.token(BEACON, "agency_admin"))
                .when().get("/api/v1/data-sources?pageSize=100")
                .then().statusCode(200)
                .body("data.id", not(hasItem(id)));
        given().auth().oauth2(TestTokens.token(BEACON, "agency_admin"))
                .when().get("/api/v1/data-sources?pageSize=100&type=zoominfo&status=inactive")
                .then().statusCode(200)
                .body("data.id", not(hasItem(id)));
        given().auth().oauth2(TestTokens.token(ACME, "client"))
                .when().get("/api/v1/data-sources?pageSize=100")
                .then().statusCode(200)
                .body("data.id", hasItem(id))
                .body("meta.page_size", equalTo(100))
                .body("meta.page", equalTo(1));
    }

    @Test
    void listIsNewestFirstPagedAndFilteredByTypeAndStatus() {
        String token = TestTokens.token(ACME, "agency_admin");
        String custom = createDataSource(token, "custom", null).extract().path("id");
        String api = createDataSource(token, "api", null).extract().path("id");

        given().auth().oauth2(token)
                .when().get("/api/v1/data-sources?pageSize=100&type=custom")
                .then().statusCode(200)
                .body("data.id", hasItem(custom))
                .body("data.id", not(hasItem(api)))
                .body("data.type", everyItem(equalTo("custom")));
        given().auth().oauth2(token)
                .when().get("/api/v1/data-sources?pageSize=100&type=api&status=inactive")
                .then().statusCode(200)
                .body("data.id", hasItem(api))
                .body("data.id", not(hasItem(custom)));
        given().auth().oauth2(token)
                .when().get("/api/v1/data-sources?pageSize=100&type=api&status=active")
                .then().statusCode(200)
                .body("data.id", not(hasItem(api)));
        given().auth().oauth2(token)
                .when().get("/api/v1/data-sources?pageSize=1")
                .then().statusCode(200)
                .body("data.id", contains(api))
                .body("meta.has_more", equalTo(true));
        given().auth().oauth2(token)
                .when().get("/api/v1/data-sources?pageSize=1&page=2")
                .then().statusCode(200)
                .body("data.id", contains(custom))
                .body("meta.page", equalTo(2));
    }

    @Test
    void invalidInputIsAProblemWithFieldDetails() {
        String researcher = TestTokens.token(ACME, "researcher");
        assertFields(researcher, "{}", "name", "type");
        assertFields(researcher, "{\"name\":\"  \",\"type\":\"csv\"}", "name");
        assertFields(researcher, "{\"name\":\"%s\",\"type\":\"csv\"}".formatted("x".repeat(201)), "name");
        assertFields(researcher, "{\"name\":\"Space\",\"type\":\"myspace\"}", "type");
        assertFields(researcher, "{\"name\":\"Long\",\"type\":\"csv\",\"description\":\"%s\"}"
                .formatted("d".repeat(2001)), "description");
        assertFields(researcher, "{\"name\":\"Conf\",\"type\":\"csv\",\"config\":\"region=eu\"}", "config");
        String manyKeys = IntStream.range(0, 51).mapToObj(i -> "\"k" + i + "\":" + i)
                .collect(Collectors.joining(",", "{", "}"));
        assertFields(researcher, "{\"name\":\"Wide\",\"type\":\"csv\",\"config\":%s}".formatted(manyKeys), "config");
        // The status is the service's to set, and the agency comes from the token.
        assertFields(researcher, "{\"name\":\"Live\",\"type\":\"csv\",\"status\":\"active\"}", "status");
        assertFields(researcher, "{\"name\":\"Sneaky\",\"type\":\"csv\",\"agency_id\":\"%s\"}".formatted(BEACON),
                "agency_id");
        given().auth().oauth2(researcher)
                .contentType(ContentType.JSON)
                .body("{\"name\": ")
                .when().post("/api/v1/data-sources")
                .then().statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("https://leadforge.io/problems/malformed-request"))
                .body("detail", not(containsString("Exception")));
        given().auth().oauth2(researcher)
                .when().get("/api/v1/data-sources?type=myspace&status=broken")
                .then().statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo(VALIDATION))
                .body("errors.field", contains("status", "type"));
        given().auth().oauth2(researcher)
                .when().get("/api/v1/data-sources?pageSize=1000")
                .then().statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("errors.field", hasItem("pageSize"));
        given().auth().oauth2(researcher)
                .when().get("/api/v1/data-sources/not-a-uuid")
                .then().statusCode(400)
                .contentType(PROBLEM_JSON);
    }

    @Test
    void superAdminMustNameTheAgencyItActsOn() {
        String superAdmin = TestTokens.user("root").agency(ACME).roles("super_admin").sign();
        given().auth().oauth2(superAdmin)
                .when().get("/api/v1/data-sources")
                .then().statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("https://leadforge.io/problems/agency-required"));

        String id = given().auth().oauth2(superAdmin)
                .header("X-Agency-Id", BEACON)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"Made by root\",\"type\":\"csv\"}")
                .when().post("/api/v1/data-sources")
                .then().statusCode(201)
                .body("agency_id", equalTo(BEACON))
                .extract().path("id");
        given().auth().oauth2(TestTokens.token(BEACON, "client"))
                .when().get("/api/v1/data-sources/" + id)
                .then().statusCode(200);
    }

    @Test
    void rolesAndTokensAreEnforced() {
        String body = "{\"name\":\"Nope\",\"type\":\"csv\"}";
        given().contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/data-sources")
                .then().statusCode(401)
                .contentType(PROBLEM_JSON)
                .header("WWW-Authenticate", "Bearer");
        given().when().get("/api/v1/data-sources")
                .then().statusCode(401)
                .contentType(PROBLEM_JSON);
        given().auth().oauth2(TestTokens.token(ACME, "client"))
                .contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/data-sources")
                .then().statusCode(403)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("https://leadforge.io/problems/forbidden"));
        given().auth().oauth2(TestTokens.user("expired").agency(ACME).roles("researcher")
                        .shiftedBySeconds(-7200).sign())
                .when().get("/api/v1/data-sources")
                .then().statusCode(401)
                .contentType(PROBLEM_JSON);
        given().auth().oauth2(TestTokens.user("other-audience").agency(ACME).roles("researcher")
                        .claim("aud", "someone-else").sign())
                .when().get("/api/v1/data-sources")
                .then().statusCode(401);
        given().auth().oauth2(TestTokens.user("no-agency").roles("researcher").sign())
                .when().get("/api/v1/data-sources")
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
                .body("paths", hasKey("/api/v1/data-sources"));
        // The API port serves /api/v1/** only.
        given().when().get("/q/health/ready").then().statusCode(404).contentType("application/problem+json");
        given().when().get("/q/metrics").then().statusCode(404).contentType("application/problem+json");
        given().when().get("/q/openapi").then().statusCode(404).contentType("application/problem+json");
    }

    private static void assertFields(String token, String body, String... fields) {
        given().auth().oauth2(token)
                .contentType(ContentType.JSON)
                .body(body)
                .when().post("/api/v1/data-sources")
                .then().statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo(VALIDATION))
                .body("errors.field", contains(fields));
    }

    private static ValidatableResponse createDataSource(String token, String type, String credentials) {
        String body = credentials == null
                ? "{\"name\":\"%s source\",\"type\":\"%s\"}".formatted(type, type)
                : "{\"name\":\"%s source\",\"type\":\"%s\",\"credentials\":%s}".formatted(type, type, credentials);
        return given().auth().oauth2(token)
                .contentType(ContentType.JSON)
                .body(body)
                .when().post("/api/v1/data-sources")
                .then().statusCode(201)
                .contentType(ContentType.JSON)
                .header("Location", startsWith("/api/v1/data-sources/"))
                .body("type", equalTo(type))
                .body("status", equalTo("inactive"))
                .body("$", not(hasKey("credentials")));
    }

    private static String secret() {
        return "sk-live-" + UUID.randomUUID();
    }
}
