package com.leadforge.stack;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.leadforge.testsupport.Await;
import com.leadforge.testsupport.TopicProbe;

import io.restassured.http.ContentType;

/**
 * The walking skeleton end to end: PostgreSQL, Kafka, Keycloak and all five services run as real processes; a
 * real Keycloak token creates a lead through the gateway, the lead-service's outbox publishes a CloudEvent, the
 * analytics-service counts it, and a second agency sees neither the lead nor the count.
 */
class EndToEndTest {

    static final String ACME = "11111111-1111-1111-1111-111111111111";
    static final String PROBLEM_JSON = "application/problem+json";
    static Stack stack;
    static final Map<String, String> tokens = new ConcurrentHashMap<>();

    @BeforeAll
    static void startStack() throws Exception {
        io.restassured.RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        Path root = Path.of(System.getProperty("leadforge.root")).toAbsolutePath().normalize();
        Path work = root.resolve("test-support/stack/target/e2e-stack");
        deleteRecursively(work);
        long started = System.nanoTime();
        stack = Stack.start(new Stack.Layout(root, Path.of(System.getProperty("leadforge.keycloak.dist")), work, false,
                Stack.StackPorts.free()));
        System.out.printf("End-to-end stack up in %.1f s (logs: %s)%n", (System.nanoTime() - started) / 1e9,
                stack.logs());
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aLeadCreatedThroughTheGatewayIsPublishedCountedAndInvisibleToAnotherAgency() {
        String researcherAcme = token("researcher-acme");
        String adminBeacon = token("admin-beacon");
        long acmeBefore = leadsCounted(researcherAcme);

        String leadId = given().baseUri(stack.gatewayUrl()).auth().oauth2(researcherAcme)
                .contentType(ContentType.JSON)
                .body("{\"first_name\":\"Ada\",\"last_name\":\"Lovelace\",\"email\":\"ada@example.com\",\"company\":\"Engines\"}")
                .when().post("/api/v1/leads")
                .then().statusCode(201)
                .body("agency_id", equalTo(ACME))
                .extract().path("id");

        given().baseUri(stack.gatewayUrl()).auth().oauth2(token("client-acme"))
                .when().get("/api/v1/leads/" + leadId)
                .then().statusCode(200).body("email", equalTo("ada@example.com"));
        given().baseUri(stack.gatewayUrl()).auth().oauth2(adminBeacon)
                .when().get("/api/v1/leads/" + leadId)
                .then().statusCode(404).contentType(PROBLEM_JSON);
        given().baseUri(stack.gatewayUrl()).auth().oauth2(adminBeacon)
                .when().get("/api/v1/leads?pageSize=100")
                .then().statusCode(200).body("data.id", not(hasItem(leadId)));

        try (TopicProbe probe = new TopicProbe(stack.kafkaBootstrapServers(), "leadforge.lead-events")) {
            ConsumerRecord<String, String> record = probe.await(r -> leadId.equals(r.key()), Duration.ofSeconds(30));
            assertEquals("leadforge.lead.created.v1", TopicProbe.header(record, "ce_type"));
            assertEquals("1.0", TopicProbe.header(record, "ce_specversion"));
            assertEquals(ACME, TopicProbe.header(record, "ce_agencyid"));
        }

        long beaconBefore = leadsCounted(adminBeacon);
        Await.until("analytics counts the new lead", Duration.ofSeconds(60),
                () -> leadsCounted(researcherAcme) == acmeBefore + 1);
        assertEquals(beaconBefore, leadsCounted(adminBeacon), "another agency's count must not move");
    }

    @Test
    void campaignsAndDataSourcesAreAgencyScopedThroughTheGateway() {
        String adminAcme = token("admin-acme");
        String campaignId = given().baseUri(stack.gatewayUrl()).auth().oauth2(adminAcme)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"Q1 outreach " + System.nanoTime() + "\"}")
                .when().post("/api/v1/campaigns")
                .then().statusCode(201).extract().path("id");
        given().baseUri(stack.gatewayUrl()).auth().oauth2(token("researcher-beacon"))
                .when().get("/api/v1/campaigns/" + campaignId)
                .then().statusCode(404).contentType(PROBLEM_JSON);

        String dataSourceId = given().baseUri(stack.gatewayUrl()).auth().oauth2(token("researcher-acme"))
                .contentType(ContentType.JSON)
                .body("{\"name\":\"CSV import " + System.nanoTime() + "\",\"type\":\"csv\"}")
                .when().post("/api/v1/data-sources")
                .then().statusCode(201).extract().path("id");
        given().baseUri(stack.gatewayUrl()).auth().oauth2(token("client-beacon"))
                .when().get("/api/v1/data-sources/" + dataSourceId)
                .then().statusCode(404).contentType(PROBLEM_JSON);
    }

    @Test
    void wrongTokensRolesAndBodiesAreRefusedWithProblems() {
        given().baseUri(stack.gatewayUrl()).when().get("/api/v1/leads")
                .then().statusCode(401).contentType(PROBLEM_JSON);
        given().baseUri(stack.gatewayUrl()).auth().oauth2(token("researcher-acme") + "x")
                .when().get("/api/v1/leads")
                .then().statusCode(401).contentType(PROBLEM_JSON);
        given().baseUri(stack.gatewayUrl()).auth().oauth2(token("client-acme"))
                .contentType(ContentType.JSON).body("{\"email\":\"c@example.com\"}")
                .when().post("/api/v1/leads")
                .then().statusCode(403).contentType(PROBLEM_JSON);
        given().baseUri(stack.gatewayUrl()).auth().oauth2(token("noagency"))
                .when().get("/api/v1/leads")
                .then().statusCode(403).contentType(PROBLEM_JSON);
        given().baseUri(stack.gatewayUrl()).auth().oauth2(token("researcher-acme"))
                .contentType(ContentType.JSON).body("{\"email\": \"broken")
                .when().post("/api/v1/leads")
                .then().statusCode(400).contentType(PROBLEM_JSON);
        // A service called directly, past the gateway, verifies the token itself.
        given().baseUri(stack.serviceUrl("lead-service")).when().get("/api/v1/leads")
                .then().statusCode(401).contentType(PROBLEM_JSON);
        given().baseUri(stack.serviceUrl("lead-service")).auth().oauth2(token("researcher-acme"))
                .header("X-Agency-Id", "22222222-2222-2222-2222-222222222222")
                .when().get("/api/v1/leads")
                .then().statusCode(403).contentType(PROBLEM_JSON);
    }

    @Test
    void everyServiceReportsHealthMetricsAndOpenApi() {
        for (String module : new String[] { "lead-service", "campaign-service", "scraping-service",
                "analytics-service", "gateway" }) {
            given().baseUri(stack.serviceUrl(module)).when().get("/q/health/ready").then().statusCode(200)
                    .body("status", equalTo("UP"));
            given().baseUri(stack.serviceUrl(module)).when().get("/q/health/live").then().statusCode(200);
            given().baseUri(stack.serviceUrl(module)).when().get("/q/metrics").then().statusCode(200);
            given().baseUri(stack.serviceUrl(module)).when().get("/q/openapi").then().statusCode(200);
        }
    }

    private static long leadsCounted(String token) {
        return given().baseUri(stack.gatewayUrl()).auth().oauth2(token)
                .when().get("/api/v1/analytics/overview")
                .then().statusCode(200).extract().<Integer>path("overview.leads.total");
    }

    /** A real token from Keycloak's password grant (the local-use client). */
    private static String token(String username) {
        return tokens.computeIfAbsent(username, user -> given().baseUri(stack.tokenEndpoint())
                .contentType(ContentType.URLENC)
                .formParam("grant_type", "password")
                .formParam("client_id", "leadforge-cli")
                .formParam("username", user)
                .formParam("password", "leadforge")
                .when().post()
                .then().statusCode(200)
                .extract().path("access_token"));
    }

    private static void deleteRecursively(Path path) throws java.io.IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
