package com.leadforge.lead.packaged;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import com.leadforge.lead.LeadApi;
import com.leadforge.testsupport.PackagedServiceInfrastructure;
import com.leadforge.testsupport.TestTokens;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;

/**
 * The packaged lead-service (the JVM application; the native executable under {@code -Pnative}) in its production
 * profile against a real PostgreSQL and Kafka: ready on its management port, a lead created with a phone number that
 * libphonenumber normalises (its metadata is a classpath resource a native image must carry), the lead exported as
 * NDJSON (written by the ObjectMapper outside REST), and bad requests answered as problem+json.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(value = PackagedServiceInfrastructure.class, initArgs = {
        @ResourceArg(name = "database", value = "leads"),
        @ResourceArg(name = "topics", value = LeadApi.TEST_TOPICS) }, restrictToAnnotatedClass = true)
class PackagedLeadServiceIT {

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
    void aResearcherCreatesALeadWhosePhoneIsNormalisedAndExportsIt() {
        String token = TestTokens.token(TestTokens.AGENCY_ACME, "researcher");
        String id = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"first_name\":\"Ada\",\"email\":\"ada.packaged@example.com\",\"phone\":\"(650) 253-0000\","
                        + "\"metadata\":{\"country\":\"US\"}}")
                .when().post("/api/v1/leads")
                .then().statusCode(201)
                .body("agency_id", equalTo(TestTokens.AGENCY_ACME))
                .body("phone", equalTo("+16502530000"))
                .extract().path("id");

        given().auth().oauth2(token)
                .when().get("/api/v1/leads/export?format=ndjson")
                .then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("\"id\":\"" + id + "\""));
    }

    @Test
    void withoutATokenTheAnswerIsAnUnauthorizedProblem() {
        given().when().get("/api/v1/leads")
                .then().statusCode(401).contentType(PROBLEM_JSON)
                .body("type", equalTo(PROBLEMS + "unauthorized"));
    }

    @Test
    void aBodyThatIsNotJsonIsAMalformedRequestProblem() {
        given().auth().oauth2(TestTokens.token(TestTokens.AGENCY_ACME, "researcher")).contentType(ContentType.JSON)
                .body("{\"first_name\":")
                .when().post("/api/v1/leads")
                .then().statusCode(400).contentType(PROBLEM_JSON)
                .body("type", equalTo(PROBLEMS + "malformed-request"));
    }
}
