package com.leadforge.gateway.ratelimit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.leadforge.testsupport.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

@QuarkusTest
@TestProfile(RateLimitTest.SmallLimits.class)
class RateLimitTest {

    static final String PROBLEM_JSON = "application/problem+json";
    static final int READS_PER_USER = 3;
    static final int READS_PER_AGENCY = 5;

    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "leadforge.gateway.rate-limit.classes.default.per-user", String.valueOf(READS_PER_USER),
                    "leadforge.gateway.rate-limit.classes.default.per-agency", String.valueOf(READS_PER_AGENCY),
                    "leadforge.gateway.rate-limit.classes.default.period", "1H",
                    "leadforge.gateway.rate-limit.classes.mutations.per-user", "2",
                    "leadforge.gateway.rate-limit.classes.mutations.period", "1H");
        }
    }

    static {
        io.restassured.RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    private static String tokenFor(String user, String agency) {
        return TestTokens.user(user).agency(agency).roles("researcher").sign();
    }

    @Test
    void theRequestAfterTheLimitIsRefusedWithRetryAfterAndHeaders() {
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
                .body("requestId", notNullValue());
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
}
