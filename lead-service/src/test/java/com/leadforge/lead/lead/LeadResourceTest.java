package com.leadforge.lead.lead;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.time.Duration;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.leadforge.lead.LeadApi;
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
        @ResourceArg(name = "database", value = "leads"),
        @ResourceArg(name = "topics", value = LeadApi.TEST_TOPICS) })
class LeadResourceTest {

    static final String ACME = TestTokens.AGENCY_ACME;
    static final String BEACON = TestTokens.AGENCY_BEACON;
    static final String PROBLEM_JSON = "application/problem+json";

    static {
        io.restassured.RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void createdLeadIsStoredInTheCallersAgencyAndPublishedAsACloudEvent() {
        String id = createLead(TestTokens.token(ACME, "researcher"), "ada@example.com");

        given().auth().oauth2(TestTokens.token(ACME, "researcher"))
                .when().get("/api/v1/leads/" + id)
                .then().statusCode(200)
                .body("agency_id", equalTo(ACME))
                .body("email", equalTo("ada@example.com"))
                .body("status", equalTo("new"))
                .body("qualification_status", equalTo("pending"))
                .body("priority", equalTo("high"));

        try (TopicProbe probe = new TopicProbe(bootstrapServers, Topics.LEAD_EVENTS)) {
            ConsumerRecord<String, String> record = probe.await(r -> id.equals(r.key()), Duration.ofSeconds(30));
            assertEquals("1.0", TopicProbe.header(record, CloudEventHeaders.SPEC_VERSION));
            assertEquals("leadforge.lead.created.v1", TopicProbe.header(record, CloudEventHeaders.TYPE));
            assertEquals(ACME, TopicProbe.header(record, CloudEventHeaders.AGENCY_ID));
            assertEquals(id, TopicProbe.header(record, CloudEventHeaders.SUBJECT));
            assertEquals("/leadforge/lead-service", TopicProbe.header(record, CloudEventHeaders.SOURCE));
            assertEquals("application/json", TopicProbe.header(record, CloudEventHeaders.CONTENT_TYPE));
            assertEquals(36, TopicProbe.header(record, CloudEventHeaders.ID).length());
            io.restassured.path.json.JsonPath data = new io.restassured.path.json.JsonPath(record.value());
            assertEquals(id, data.getString("lead_id"));
            assertEquals(ACME, data.getString("agency_id"));
        }
    }

    @Test
    void anotherAgencyCannotSeeTheLead() {
        String id = createLead(TestTokens.token(ACME, "agency_admin"), "grace@example.com");

        given().auth().oauth2(TestTokens.token(BEACON, "agency_admin"))
                .when().get("/api/v1/leads/" + id)
                .then().statusCode(404)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("https://leadforge.io/problems/not-found"));
        given().auth().oauth2(TestTokens.token(BEACON, "agency_admin"))
                .when().get("/api/v1/leads?pageSize=100")
                .then().statusCode(200)
                .body("data.id", not(hasItem(id)));
        given().auth().oauth2(TestTokens.token(ACME, "agency_admin"))
                .when().get("/api/v1/leads?pageSize=100")
                .then().statusCode(200)
                .body("data.id", hasItem(id))
                .body("meta.page_size", equalTo(100))
                .body("meta.page", equalTo(1));
    }

    @Test
    void theAgencyCannotBeChosenInTheBodyOrAHeader() {
        given().auth().oauth2(TestTokens.token(ACME, "researcher"))
                .contentType(ContentType.JSON)
                .body("{\"email\":\"x@example.com\",\"agency_id\":\"" + BEACON + "\"}")
                .when().post("/api/v1/leads")
                .then().statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("errors[0].field", equalTo("agency_id"));
        given().auth().oauth2(TestTokens.token(ACME, "researcher"))
                .header("X-Agency-Id", BEACON)
                .when().get("/api/v1/leads")
                .then().statusCode(403)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("https://leadforge.io/problems/forbidden"));
    }

    @Test
    void superAdminMustNameTheAgencyItActsOn() {
        String superAdmin = TestTokens.user("root").agency(ACME).roles("super_admin").sign();
        given().auth().oauth2(superAdmin)
                .when().get("/api/v1/leads")
                .then().statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("https://leadforge.io/problems/agency-required"));

        String id = given().auth().oauth2(superAdmin)
                .header("X-Agency-Id", BEACON)
                .contentType(ContentType.JSON)
                .body("{\"email\":\"made-by-root@example.com\"}")
                .when().post("/api/v1/leads")
                .then().statusCode(201)
                .body("agency_id", equalTo(BEACON))
                .extract().path("id");
        given().auth().oauth2(TestTokens.token(BEACON, "researcher"))
                .when().get("/api/v1/leads/" + id)
                .then().statusCode(200);
    }

    @Test
    void invalidInputIsAProblemWithFieldDetails() {
        given().auth().oauth2(TestTokens.token(ACME, "researcher"))
                .contentType(ContentType.JSON)
                .body("{\"email\":\"not-an-email\",\"priority\":\"sky-high\"}")
                .when().post("/api/v1/leads")
                .then().statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("https://leadforge.io/problems/validation"))
                .body("errors[0].field", equalTo("priority"));
        given().auth().oauth2(TestTokens.token(ACME, "researcher"))
                .contentType(ContentType.JSON)
                .body("{\"email\":\"not-an-email\",\"linkedin_url\":\"https://example.com/ada\"}")
                .when().post("/api/v1/leads")
                .then().statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("errors.field", hasItem("email"))
                .body("errors.field", hasItem("linkedin_url"));
        given().auth().oauth2(TestTokens.token(ACME, "researcher"))
                .contentType(ContentType.JSON)
                .body("{\"email\": ")
                .when().post("/api/v1/leads")
                .then().statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("https://leadforge.io/problems/malformed-request"))
                .body("detail", not(org.hamcrest.Matchers.containsString("Exception")));
        given().auth().oauth2(TestTokens.token(ACME, "researcher"))
                .contentType(ContentType.JSON)
                .body("{}")
                .when().post("/api/v1/leads")
                .then().statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("errors.field", hasItem("identifiable"));
        given().auth().oauth2(TestTokens.token(ACME, "researcher"))
                .when().get("/api/v1/leads?pageSize=1000")
                .then().statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("errors.field", hasItem("pageSize"));
        given().auth().oauth2(TestTokens.token(ACME, "researcher"))
                .contentType(ContentType.JSON)
                .when().post("/api/v1/leads")
                .then().statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("https://leadforge.io/problems/malformed-request"))
                .body("detail", equalTo("A JSON body is required"))
                .body("request_id", org.hamcrest.Matchers.notNullValue());
        given().auth().oauth2(TestTokens.token(ACME, "researcher"))
                .when().get("/api/v1/leads?page=abc")
                .then().statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("https://leadforge.io/problems/malformed-request"));
        given().auth().oauth2(TestTokens.token(ACME, "researcher"))
                .when().get("/api/v1/leads/not-a-uuid")
                .then().statusCode(400)
                .contentType(PROBLEM_JSON);
    }

    @Test
    void rolesAndTokensAreEnforced() {
        given().contentType(ContentType.JSON).body("{\"email\":\"a@example.com\"}")
                .when().post("/api/v1/leads")
                .then().statusCode(401)
                .contentType(PROBLEM_JSON)
                .header("WWW-Authenticate", "Bearer");
        given().auth().oauth2(TestTokens.token(ACME, "client"))
                .contentType(ContentType.JSON).body("{\"email\":\"a@example.com\"}")
                .when().post("/api/v1/leads")
                .then().statusCode(403)
                .contentType(PROBLEM_JSON);
        given().auth().oauth2(TestTokens.user("expired").agency(ACME).roles("researcher").shiftedBySeconds(-7200).sign())
                .when().get("/api/v1/leads")
                .then().statusCode(401)
                .contentType(PROBLEM_JSON);
        given().auth().oauth2(TestTokens.user("other-audience").agency(ACME).roles("researcher")
                        .claim("aud", "someone-else").sign())
                .when().get("/api/v1/leads")
                .then().statusCode(401);
        given().auth().oauth2(TestTokens.user("no-agency").roles("researcher").sign())
                .when().get("/api/v1/leads")
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
        given().baseUri(managementBase()).when().get("/q/health/live").then().statusCode(200)
                .body("checks.name", hasItem("connection-pool"));
        given().baseUri(managementBase()).when().get("/q/health/well").then().statusCode(200)
                .body("checks.name", hasItem("event-consumers"));
        // Latency histograms with SLO buckets (the p95 alert reads them); 0.3 s is the SLO bucket.
        given().baseUri(managementBase()).when().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("http_server_requests_seconds_bucket"))
                .body(org.hamcrest.Matchers.containsString("le=\"0.3\""));
        given().baseUri(managementBase()).when().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/leads"));
        // The API port serves /api/v1/** only.
        given().when().get("/q/health/ready").then().statusCode(404).contentType("application/problem+json");
        given().when().get("/q/metrics").then().statusCode(404).contentType("application/problem+json");
        given().when().get("/q/openapi").then().statusCode(404).contentType("application/problem+json");
    }

    private String createLead(String token, String email) {
        return given().auth().oauth2(token)
                .contentType(ContentType.JSON)
                .body("""
                        {"first_name":"Ada","last_name":"Lovelace","email":"%s","company":"Analytical Engines",
                         "source":"manual","priority":"high"}""".formatted(email.toUpperCase()))
                .when().post("/api/v1/leads")
                .then().statusCode(201)
                .contentType(ContentType.JSON)
                .header("Location", startsWith("/api/v1/leads/"))
                .extract().path("id");
    }
}
