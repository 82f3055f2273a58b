package com.leadforge.gateway.packaged;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;

import com.leadforge.testsupport.PackagedServiceInfrastructure;
import com.leadforge.testsupport.TestTokens;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The packaged gateway (the JVM application; the native executable under {@code -Pnative}) in its production profile,
 * routing to {@link StubServices}: live on its management port, an authenticated request routed and counted by the
 * in-memory rate limiter (Bucket4j on Caffeine), and what it refuses answered as problem+json.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(value = PackagedServiceInfrastructure.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = StubServices.class, restrictToAnnotatedClass = true)
class PackagedGatewayIT {

    static final String PROBLEM_JSON = "application/problem+json";
    static final String PROBLEMS = "https://leadforge.io/problems/";

    @Test
    void isLiveOnItsManagementPortOnly() {
        given().baseUri(PackagedServiceInfrastructure.managementUrl())
                .when().get("/q/health/live")
                .then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/live")
                .then().statusCode(404).contentType(PROBLEM_JSON);
    }

    @Test
    void anAuthenticatedRequestIsRoutedAndCounted() {
        given().auth().oauth2(TestTokens.token(TestTokens.AGENCY_ACME, "researcher"))
                .when().get("/api/v1/leads")
                .then().statusCode(200)
                .header("RateLimit-Limit", notNullValue())
                .header("RateLimit-Remaining", notNullValue())
                .body("meta.total", equalTo(0));
    }

    @Test
    void withoutATokenTheAnswerIsAnUnauthorizedProblem() {
        given().when().get("/api/v1/leads")
                .then().statusCode(401).contentType(PROBLEM_JSON)
                .body("type", equalTo(PROBLEMS + "unauthorized"));
    }

    @Test
    void anEncodedSlashInThePathIsRefusedAsABadRequest() {
        given().urlEncodingEnabled(false).auth().oauth2(TestTokens.token(TestTokens.AGENCY_ACME, "researcher"))
                .when().get("/api/v1/leads/a%2Fb")
                .then().statusCode(400).contentType(PROBLEM_JSON);
    }
}
