package com.leadforge.gateway.ratelimit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.leadforge.testsupport.RawHttp;
import com.leadforge.testsupport.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

@QuarkusTest
@TestProfile(RateLimitTest.SmallLimits.class)
class RateLimitTest {

    static final String PROBLEM_JSON = "application/problem+json";
    static final int READS_PER_USER = 3;
    static final int READS_PER_AGENCY = 5;
    static final int EXPORTS_PER_USER = 7;
    static final int BULK_PER_USER = 4;

    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "leadforge.gateway.rate-limit.classes.default.per-user", String.valueOf(READS_PER_USER),
                    "leadforge.gateway.rate-limit.classes.default.per-agency", String.valueOf(READS_PER_AGENCY),
                    "leadforge.gateway.rate-limit.classes.default.period", "1H",
                    "leadforge.gateway.rate-limit.classes.mutations.per-user", "2",
                    "leadforge.gateway.rate-limit.classes.mutations.period", "1H",
                    "leadforge.gateway.rate-limit.classes.export.per-user", String.valueOf(EXPORTS_PER_USER),
                    "leadforge.gateway.rate-limit.classes.bulk.per-user", String.valueOf(BULK_PER_USER));
        }
    }

    static {
        io.restassured.RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    private static String tokenFor(String user, String agency) {
        return TestTokens.user(user).agency(agency).roles("researcher").sign();
    }

    @jakarta.inject.Inject
    io.micrometer.core.instrument.MeterRegistry meters;

    private double rejections(String routeClass) {
        return meters.get("leadforge.gateway.rate.limit.rejections").tag("route_class", routeClass).counter().count();
    }

    @Test
    void theRequestAfterTheLimitIsRefusedWithRetryAfterAndHeaders() {
        double refusedBefore = rejections("default");
        String token = tokenFor("limited-" + UUID.randomUUID(), UUID.randomUUID().toString());
        for (int i = 1; i <= READS_PER_USER; i++) {
            String remaining = String.valueOf(READS_PER_USER - i);
            given().auth().oauth2(token).when().get("/api/v1/leads")
                    .then().statusCode(200)
                    .header("RateLimit-Limit", String.valueOf(READS_PER_USER))
                    .header("RateLimit-Remaining", remaining)
                    .header("RateLimit-Reset", matchesPattern("[1-9][0-9]*"))
                    .header("RateLimit-Policy", READS_PER_USER + ";w=3600")
                    .header("X-RateLimit-Limit", String.valueOf(READS_PER_USER))
                    .header("X-RateLimit-Remaining", remaining)
                    .header("X-RateLimit-Reset", matchesPattern("[1-9][0-9]*"));
        }
        given().auth().oauth2(token).when().get("/api/v1/leads")
                .then().statusCode(429).contentType(PROBLEM_JSON)
                .header("Retry-After", matchesPattern("[1-9][0-9]*"))
                .header("RateLimit-Limit", String.valueOf(READS_PER_USER))
                .header("RateLimit-Remaining", "0")
                .header("X-RateLimit-Remaining", "0")
                .body("type", equalTo("https://leadforge.io/problems/rate-limited"))
                .body("status", equalTo(429))
                .body("request_id", notNullValue());
        assertEquals(refusedBefore + 1, rejections("default"), "the refusal is counted for its route class");
    }

    @Test
    void theUsersOfAnAgencyShareItsBudgetAndARefusalCostsTheAgencyNothing() {
        String agency = UUID.randomUUID().toString();
        String first = tokenFor("first-" + UUID.randomUUID(), agency);
        String second = tokenFor("second-" + UUID.randomUUID(), agency);
        for (int i = 0; i < READS_PER_USER; i++) {
            given().auth().oauth2(first).when().get("/api/v1/campaigns").then().statusCode(200);
        }
        // Refused by the first user's own bucket: the agency keeps the token it had given.
        given().auth().oauth2(first).when().get("/api/v1/campaigns").then().statusCode(429);
        int agencyLeft = READS_PER_AGENCY - READS_PER_USER;
        for (int i = 1; i <= agencyLeft; i++) {
            given().auth().oauth2(second).when().get("/api/v1/campaigns")
                    .then().statusCode(200)
                    .header("RateLimit-Remaining", String.valueOf(agencyLeft - i));
        }
        given().auth().oauth2(second).when().get("/api/v1/campaigns")
                .then().statusCode(429).contentType(PROBLEM_JSON)
                .header("RateLimit-Limit", String.valueOf(READS_PER_AGENCY))
                .header("Retry-After", matchesPattern("[1-9][0-9]*"));
        // Another agency is not affected.
        given().auth().oauth2(tokenFor("elsewhere-" + UUID.randomUUID(), UUID.randomUUID().toString()))
                .when().get("/api/v1/campaigns").then().statusCode(200);
    }

    @Test
    void routeClassesHaveSeparateBudgets() {
        String token = tokenFor("mixed-" + UUID.randomUUID(), UUID.randomUUID().toString());
        for (int i = 0; i < READS_PER_USER; i++) {
            given().auth().oauth2(token).when().get("/api/v1/leads").then().statusCode(200);
        }
        given().auth().oauth2(token).when().get("/api/v1/leads").then().statusCode(429);
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{}")
                .when().post("/api/v1/leads")
                .then().statusCode(200).header("RateLimit-Limit", "2").header("RateLimit-Remaining", "1");
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{}")
                .when().post("/api/v1/leads")
                .then().statusCode(200).header("RateLimit-Remaining", "0");
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{}")
                .when().post("/api/v1/leads")
                .then().statusCode(429).contentType(PROBLEM_JSON);
    }

    @Test
    void refusalsOfTheGatewayCarryTheHeadersToo() {
        given().when().get("/api/v1/leads")
                .then().statusCode(401).contentType(PROBLEM_JSON)
                .header("RateLimit-Limit", String.valueOf(READS_PER_USER))
                .header("X-RateLimit-Remaining", matchesPattern("[0-9]+"));
        given().auth().oauth2(tokenFor("lost-" + UUID.randomUUID(), UUID.randomUUID().toString()))
                .when().get("/api/v1/nowhere")
                .then().statusCode(404).contentType(PROBLEM_JSON)
                .header("RateLimit-Remaining", String.valueOf(READS_PER_USER - 1));
    }

    /** Raw requests: an HTTP client library may rewrite the spelling before it is sent. */
    private static RawHttp.Response raw(String method, String target, String token, String body) {
        return RawHttp.send(RestAssured.port, RawHttp.request(method, target, body, "Authorization: Bearer " + token));
    }

    @Test
    void everySpellingOfTheExportPathCountsAgainstTheExportBudget() {
        String token = tokenFor("exporter-" + UUID.randomUUID(), UUID.randomUUID().toString());
        String[] spellings = { "/api/v1/leads/export?format=csv", "/api/v1/leads/%65xport?format=csv",
                "/api/v1/leads/%65%78%70%6f%72%74", "/api/v1/leads/x/../export", "/api/v1//leads/./export",
                "/api/v1/leads/%65xport/" };
        for (int i = 0; i < spellings.length; i++) {
            RawHttp.Response response = raw("GET", spellings[i], token, null);
            assertEquals(200, response.status(), spellings[i] + ": " + response.body());
            assertEquals(String.valueOf(EXPORTS_PER_USER), response.header("RateLimit-Limit"), spellings[i]);
            assertEquals(String.valueOf(EXPORTS_PER_USER - 1 - i), response.header("RateLimit-Remaining"),
                    spellings[i]);
        }
        RawHttp.Response last = raw("GET", "/api/v1/leads/%65xport", token, null);
        assertEquals(200, last.status());
        RawHttp.Response refused = raw("GET", "/api/v1/leads/%65xport", token, null);
        assertEquals(429, refused.status());
        assertEquals(PROBLEM_JSON, refused.header("Content-Type"));
    }

    @Test
    void bulkUpdateCountsAgainstTheBulkBudgetAndIsForwardedAsRouted() {
        String token = tokenFor("bulk-" + UUID.randomUUID(), UUID.randomUUID().toString());
        for (int i = 1; i <= BULK_PER_USER; i++) {
            RawHttp.Response response = raw("POST",
                    i % 2 == 0 ? "/api/v1/leads/bulk-update" : "/api/v1/leads/%62ulk-update", token, "{}");
            assertEquals(200, response.status(), response.body());
            assertEquals(String.valueOf(BULK_PER_USER), response.header("RateLimit-Limit"));
            assertEquals(String.valueOf(BULK_PER_USER - i), response.header("RateLimit-Remaining"));
            assertTrue(response.body().contains("\"uri\":\"/api/v1/leads/bulk-update\""), response.body());
        }
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{}")
                .when().post("/api/v1/leads/bulk-update")
                .then().statusCode(429).contentType(PROBLEM_JSON);
    }

    @Test
    void ambiguousEncodingsAreRefusedAsMalformed() {
        String token = tokenFor("sneaky-" + UUID.randomUUID(), UUID.randomUUID().toString());
        for (String path : new String[] { "/api/v1/leads%2Fexport", "/api/v1/leads/%2565xport",
                "/api/v1/leads/export;v=1" }) {
            RawHttp.Response response = raw("GET", path, token, null);
            assertEquals(400, response.status(), path + ": " + response.body());
            assertEquals(PROBLEM_JSON, response.header("Content-Type"));
            assertNotNull(response.header("RateLimit-Limit"));
            assertTrue(response.body().contains("https://leadforge.io/problems/malformed-request"), response.body());
        }
    }
}
