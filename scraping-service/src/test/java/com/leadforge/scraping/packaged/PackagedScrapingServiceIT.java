package com.leadforge.scraping.packaged;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.leadforge.shared.events.Topics;
import com.leadforge.testsupport.PackagedServiceInfrastructure;
import com.leadforge.testsupport.TestTokens;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;

/**
 * The packaged scraping-service (the JVM application; the native executable under {@code -Pnative}) in its
 * production profile against a real PostgreSQL and Kafka, with a credential key given as a deployment gives it: ready
 * on its management port, a data source created with credentials sealed (AES-GCM) and never echoed, and bad requests
 * answered as problem+json.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(value = PackagedServiceInfrastructure.class, initArgs = {
        @ResourceArg(name = "database", value = "scraping"),
        @ResourceArg(name = "topics", value = Topics.SCRAPING_EVENTS + "," + Topics.LEAD_EVENTS + ","
                + Topics.CAMPAIGN_EVENTS),
        @ResourceArg(name = "config.LEADFORGE_CRYPTO_ACTIVE_KEY", value = "it1"),
        @ResourceArg(name = "config.leadforge.crypto.active-key", value = "it1"),
        // A throwaway key for this test only (base64 of 32 bytes).
        @ResourceArg(name = "config.leadforge.crypto.keys.it1",
                value = "c2NyYXBpbmctaXQta2V5LTMyLWJ5dGVzLWxvbmchISE=") },
        restrictToAnnotatedClass = true)
class PackagedScrapingServiceIT {

    static final String PROBLEM_JSON = "application/problem+json";
    static final String PROBLEMS = "https://leadforge.io/problems/";

    @Test
    void isReadyOnItsManagementPortOnly() {
        given().baseUri(PackagedServiceInfrastructure.managementUrl())
                .when().get("/q/health/ready")
                .then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/ready")
                .then().statusCode(404).contentType(PROBLEM_JSON);
    }

    @Test
    void aDataSourceIsCreatedWithItsCredentialsSealed() {
        String secret = "sk-" + UUID.randomUUID();
        String token = TestTokens.token(TestTokens.AGENCY_ACME, "researcher");
        String id = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"name\":\"Partner API\",\"type\":\"linkedin\","
                        + "\"config\":{\"url\":\"https://partner.example.com/people\",\"max_pages\":5},"
                        + "\"credentials\":{\"api_key\":\"" + secret + "\"}}")
                .when().post("/api/v1/data-sources")
                .then().statusCode(201)
                .body("has_credentials", equalTo(true))
                .body(not(containsString(secret)))
                .extract().path("id");
        given().auth().oauth2(token)
                .when().get("/api/v1/data-sources/" + id)
                .then().statusCode(200)
                .body("name", equalTo("Partner API"))
                .body(not(containsString(secret)));
    }

    @Test
    void withoutATokenTheAnswerIsAnUnauthorizedProblem() {
        given().when().get("/api/v1/data-sources")
                .then().statusCode(401).contentType(PROBLEM_JSON)
                .body("type", equalTo(PROBLEMS + "unauthorized"));
    }

    @Test
    void aDataSourceWithoutANameIsAValidationProblem() {
        given().auth().oauth2(TestTokens.token(TestTokens.AGENCY_ACME, "researcher")).contentType(ContentType.JSON)
                .body("{\"name\":\"\",\"type\":\"csv\"}")
                .when().post("/api/v1/data-sources")
                .then().statusCode(400).contentType(PROBLEM_JSON)
                .body("type", equalTo(PROBLEMS + "validation"));
    }
}
