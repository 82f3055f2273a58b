package com.leadforge.stack;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.leadforge.testsupport.Await;
import com.leadforge.testsupport.ForgedTokens;
import com.leadforge.testsupport.TopicProbe;

import io.restassured.http.ContentType;

/**
 * The walking skeleton end to end: PostgreSQL, Kafka, Keycloak and all five services run as real processes; a
 * real Keycloak token creates a lead through the gateway, the lead-service's outbox publishes a CloudEvent, the
 * analytics-service counts it, and a second agency sees neither the lead nor the count.
 */
@ExtendWith(RunningStack.class)
class EndToEndTest {

    static final String ACME = "11111111-1111-1111-1111-111111111111";
    static final String PROBLEM_JSON = "application/problem+json";
    static Stack stack;

    @BeforeAll
    static void useStack(Stack running) {
        io.restassured.RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        stack = running;
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

        given().baseUri(stack.gatewayUrl()).auth().oauth2(token("admin-acme"))
                .when().get("/api/v1/leads/" + leadId)
                .then().statusCode(200).body("email", equalTo("ada@example.com"));
        // A client reads only the leads of campaigns shared with it; this lead is in none.
        given().baseUri(stack.gatewayUrl()).auth().oauth2(token("client-acme"))
                .when().get("/api/v1/leads/" + leadId)
                .then().statusCode(404).contentType(PROBLEM_JSON);
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

    /** JWT attacks against the gateway and, past it, a service directly: each must answer 401 problem+json. */
    @Test
    void forgedAndForeignTokensAreRejectedByTheGatewayAndByServicesDirectly() throws Exception {
        String genuine = token("admin-acme");
        String keycloakPublicKey = keycloakPublicKeyPem();
        String masterRealmToken = given().baseUri(stack.keycloakUrl() + "/realms/master/protocol/openid-connect/token")
                .contentType(ContentType.URLENC)
                .formParam("grant_type", "password").formParam("client_id", "admin-cli")
                .formParam("username", "admin").formParam("password", "admin")
                .when().post().then().statusCode(200).extract().path("access_token");
        Map<String, String> attacks = new java.util.LinkedHashMap<>();
        attacks.put("alg none", ForgedTokens.algNone(genuine));
        attacks.put("HS256 signed with Keycloak's RSA public key", ForgedTokens.hs256WithPublicKey(genuine, keycloakPublicKey));
        attacks.put("tampered agency", ForgedTokens.tampered(genuine, "agency_id", "22222222-2222-2222-2222-222222222222"));
        attacks.put("tampered roles", ForgedTokens.tampered(token("client-acme"), "realm_access",
                Map.of("roles", java.util.List.of("super_admin"))));
        attacks.put("expiry pushed back", ForgedTokens.tampered(genuine, "exp", 4102444800L));
        attacks.put("unknown signing key and kid", ForgedTokens.signedByUnknownKey(genuine));
        attacks.put("genuine Keycloak token of another realm (issuer, audience)", masterRealmToken);

        java.util.List<String> accepted = new java.util.ArrayList<>();
        attacks.forEach((attack, forged) -> {
            for (String target : new String[] { stack.gatewayUrl(), stack.serviceUrl("lead-service") }) {
                var response = given().baseUri(target).auth().oauth2(forged).when().get("/api/v1/leads");
                if (response.statusCode() != 401 || !response.contentType().startsWith(PROBLEM_JSON)) {
                    accepted.add(attack + " at " + target + " -> " + response.statusCode());
                }
            }
        });
        assertEquals(java.util.List.of(), accepted, "every forged or foreign token must be refused with 401");
        // Control: the genuine token the forgeries came from works at both.
        given().baseUri(stack.gatewayUrl()).auth().oauth2(genuine).when().get("/api/v1/leads").then().statusCode(200);
        given().baseUri(stack.serviceUrl("lead-service")).auth().oauth2(genuine).when().get("/api/v1/leads")
                .then().statusCode(200);
    }

    /** Keycloak's realm signing key as PEM, as anyone can build it from the public JWKS endpoint. */
    private static String keycloakPublicKeyPem() throws Exception {
        java.util.List<Map<String, Object>> keys = given().baseUri(stack.keycloakUrl() + "/realms/leadforge/protocol/openid-connect/certs")
                .when().get().then().statusCode(200).extract().path("keys");
        Map<String, Object> signing = keys.stream().filter(k -> "RS256".equals(k.get("alg"))).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        String certificate = ((java.util.List<String>) signing.get("x5c")).get(0);
        java.security.cert.Certificate x509 = java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(java.util.Base64.getDecoder().decode(certificate)));
        return "-----BEGIN PUBLIC KEY-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(x509.getPublicKey().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    @Test
    void everyServiceReportsHealthMetricsAndOpenApiOnItsManagementPortOnly() {
        for (String module : new String[] { "lead-service", "campaign-service", "scraping-service",
                "analytics-service", "gateway" }) {
            given().baseUri(stack.managementUrl(module)).when().get("/q/health/ready").then().statusCode(200)
                    .body("status", equalTo("UP"));
            given().baseUri(stack.managementUrl(module)).when().get("/q/health/live").then().statusCode(200);
            given().baseUri(stack.managementUrl(module)).when().get("/q/metrics").then().statusCode(200);
            given().baseUri(stack.managementUrl(module)).when().get("/q/openapi").then().statusCode(200);
            for (String operational : new String[] { "/q/health/ready", "/q/metrics", "/q/openapi" }) {
                given().baseUri(stack.serviceUrl(module)).when().get(operational)
                        .then().statusCode(404).contentType(PROBLEM_JSON);
            }
        }
        given().baseUri(stack.gatewayUrl()).when().get("/api/health").then().statusCode(200)
                .body("status", equalTo("UP"));
        given().baseUri(stack.gatewayUrl()).when().get("/api/openapi").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/leads"));
    }

    private static long leadsCounted(String token) {
        return given().baseUri(stack.gatewayUrl()).auth().oauth2(token)
                .when().get("/api/v1/analytics/overview")
                .then().statusCode(200).extract().<Integer>path("overview.leads.total");
    }

    private static String token(String username) {
        return KeycloakTokens.of(stack, username);
    }
}
