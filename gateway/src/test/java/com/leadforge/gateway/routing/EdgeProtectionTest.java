package com.leadforge.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.equalToIgnoringCase;
import static org.hamcrest.Matchers.nullValue;

import java.io.ByteArrayInputStream;

import org.junit.jupiter.api.Test;

import com.leadforge.testsupport.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** CORS allowlist and body-size limit: refusals at the edge are problem+json like every other. */
@QuarkusTest
class EdgeProtectionTest {

    static final String PROBLEM_JSON = "application/problem+json";
    static final String ALLOWED_ORIGIN = "https://app.leadforge.test";
    static final int THREE_MEGABYTES = 3 * 1024 * 1024;

    static {
        io.restassured.RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    private final String token = TestTokens.token(TestTokens.AGENCY_ACME, "researcher");

    @Test
    void anAllowlistedOriginGetsCorsHeadersAndItsPreflightAnswered() {
        given().header("Origin", ALLOWED_ORIGIN)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .when().options("/api/v1/leads")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", ALLOWED_ORIGIN)
                .header("Access-Control-Allow-Methods", containsString("POST"));
        given().auth().oauth2(token).header("Origin", ALLOWED_ORIGIN)
                .when().get("/api/v1/leads")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", ALLOWED_ORIGIN)
                .header("Access-Control-Expose-Headers", containsString("RateLimit-Remaining"));
    }

    @Test
    void theGatewaysOwnPagesMayCallIt() {
        given().header("Origin", "http://" + io.restassured.RestAssured.baseURI.replace("http://", "") + ":"
                + io.restassured.RestAssured.port)
                .when().get("/api/openapi")
                .then().statusCode(200);
    }

    @Test
    void anyOtherOriginIsRefusedAsAProblem() {
        given().header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST")
                .when().options("/api/v1/leads")
                .then().statusCode(403).contentType(PROBLEM_JSON)
                .header("Access-Control-Allow-Origin", nullValue())
                .body("type", equalTo("https://leadforge.io/problems/forbidden"));
        given().auth().oauth2(token).header("Origin", "https://app.leadforge.test.evil.example")
                .when().get("/api/v1/leads")
                .then().statusCode(403).contentType(PROBLEM_JSON)
                .header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void pathsNothingServesAndWrongMethodsAreProblems() {
        given().when().get("/nowhere")
                .then().statusCode(404).contentType(PROBLEM_JSON)
                .body("type", equalTo("https://leadforge.io/problems/not-found"));
        given().when().get("/api/nothing-here")
                .then().statusCode(404).contentType(PROBLEM_JSON);
        given().when().delete("/api/health")
                .then().statusCode(405).contentType(PROBLEM_JSON)
                .header("Allow", "GET")
                .body("type", equalTo("https://leadforge.io/problems/method-not-allowed"));
        given().auth().oauth2("not-a-jwt").when().get("/api/health")
                .then().statusCode(401).contentType(PROBLEM_JSON)
                .header("WWW-Authenticate", "Bearer")
                .body("request_id", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void aThreeMegabyteBodyIsTooLargeAsAProblem() {
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(new byte[THREE_MEGABYTES])
                .when().post("/api/v1/leads")
                .then().statusCode(413).contentType(PROBLEM_JSON)
                // The gateway closes the connection after it: a client must not send its next request on it.
                .header("Connection", equalToIgnoringCase("close"))
                .body("type", equalTo("https://leadforge.io/problems/payload-too-large"))
                .body("status", equalTo(413));
    }

    @Test
    void aChunkedBodyIsCountedWhileStreamingAndStoppedAtTheLimit() {
        given().auth().oauth2(token).contentType(ContentType.BINARY)
                .body(new ByteArrayInputStream(new byte[THREE_MEGABYTES]))
                .when().post("/api/v1/leads")
                .then().statusCode(413).contentType(PROBLEM_JSON)
                .header("Connection", equalToIgnoringCase("close"))
                .body("type", equalTo("https://leadforge.io/problems/payload-too-large"));
        given().auth().oauth2(token).contentType(ContentType.BINARY)
                .body(new ByteArrayInputStream(new byte[1024]))
                .when().post("/api/v1/leads")
                .then().statusCode(200).body("bodyLength", equalTo(1024));
    }

    @Test
    void aScrapingJobsCsvFileMayBeLargerThanAJsonBodyOnItsOwnPathOnly() {
        // An upload path the stub serves (UpstreamStub adds it to the rule; scraping-service is down in these tests).
        String upload = "/api/v1/leads/" + java.util.UUID.randomUUID() + "/file";
        given().auth().oauth2(token).contentType("text/csv")
                .body(new byte[THREE_MEGABYTES])
                .when().put(upload)
                .then().statusCode(200).body("bodyLength", equalTo(THREE_MEGABYTES));
        given().auth().oauth2(token).contentType("text/csv")
                .body(new ByteArrayInputStream(new byte[THREE_MEGABYTES]))
                .when().put(upload)
                .then().statusCode(200).body("bodyLength", equalTo(THREE_MEGABYTES));
        // Only that path: the job's other endpoints keep the JSON limit.
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(new byte[THREE_MEGABYTES])
                .when().post("/api/v1/leads/" + java.util.UUID.randomUUID() + "/qualify")
                .then().statusCode(413).contentType(PROBLEM_JSON);
    }
}
