package com.leadforge.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import com.leadforge.testsupport.TestTokens;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;

@QuarkusTest
@QuarkusTestResource(UpstreamStub.class)
class ApiProxyTest {

    @Inject
    RouteTable routes;

    @TestHTTPResource("/")
    URI gateway;

    static final String ACME = TestTokens.AGENCY_ACME;
    static final String BEACON = TestTokens.AGENCY_BEACON;
    static final String PROBLEM_JSON = "application/problem+json";

    static {
        io.restassured.RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void forwardsAnAuthenticatedRequestWithTokenRequestIdAndTraceContext() {
        String token = TestTokens.token(ACME, "researcher");
        given().auth().oauth2(token)
                .header("X-Request-Id", "client-chosen-42")
                .contentType(ContentType.JSON).body("{\"email\":\"a@example.com\"}")
                .when().post("/api/v1/leads?onDuplicate=merge")
                .then().statusCode(200)
                .header("X-Request-Id", "client-chosen-42")
                .body("method", equalTo("POST"))
                .body("uri", equalTo("/api/v1/leads?onDuplicate=merge"))
                .body("headers.authorization", equalTo("Bearer " + token))
                .body("headers.x-request-id", equalTo("client-chosen-42"))
                .body("headers.traceparent", matchesPattern("00-[0-9a-f]{32}-[0-9a-f]{16}-01"))
                .body("bodyLength", equalTo(25));
    }

    @Test
    void generatesARequestIdAndDropsSpoofedAndHopByHopHeaders() {
        given().auth().oauth2(TestTokens.token(ACME, "client"))
                .header("X-Request-Id", "bad id with spaces")
                .header("X-Forwarded-For", "6.6.6.6")
                .header("X-Leadforge-Agency", BEACON)
                .header("Proxy-Authorization", "Basic abc")
                .when().get("/api/v1/campaigns")
                .then().statusCode(200)
                .header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"))
                .header("X-Leadforge-Internal", nullValue())
                .body("headers.x-forwarded-for", equalTo("127.0.0.1"))
                .body("headers.x-leadforge-agency", nullValue())
                .body("headers.proxy-authorization", nullValue());
    }

    /**
     * A service that refuses a body (its 413) closes that connection once the body is read. No other request may be
     * sent on it meanwhile, or the gateway answers that request 502 although the service never saw it.
     */
    @Test
    void aConnectionTheServiceClosesAfterRefusingABodyIsNotReused() throws Exception {
        String token = TestTokens.token(ACME, "researcher");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        byte[] oversized = new byte[1_100_000];
        ExecutorService callers = Executors.newFixedThreadPool(8);
        List<Future<Integer>> refused = new ArrayList<>();
        List<Future<Integer>> accepted = new ArrayList<>();
        try {
            for (int round = 0; round < 40; round++) {
                refused.add(callers.submit(() -> post(http, token, "/api/v1/leads/refuses-body", oversized)));
                for (int i = 0; i < 6; i++) {
                    accepted.add(callers.submit(() -> post(http, token, "/api/v1/leads", "{}".getBytes())));
                }
            }
            Map<Integer, Integer> refusedStatuses = new TreeMap<>();
            for (Future<Integer> status : refused) {
                refusedStatuses.merge(status.get(), 1, Integer::sum);
            }
            Map<Integer, Integer> acceptedStatuses = new TreeMap<>();
            for (Future<Integer> status : accepted) {
                acceptedStatuses.merge(status.get(), 1, Integer::sum);
            }
            assertEquals(Map.of(413, 40), refusedStatuses);
            assertEquals(Map.of(200, 240), acceptedStatuses);
        } finally {
            callers.shutdownNow();
        }
    }

    private int post(HttpClient http, String token, String path, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(gateway.resolve(path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void passesUpstreamStatusAndStreamsBodies() {
        given().auth().oauth2(TestTokens.token(ACME, "client"))
                .when().get("/api/v1/leads/missing")
                .then().statusCode(404);
        String csv = given().auth().oauth2(TestTokens.token(ACME, "client"))
                .when().get("/api/v1/leads/export")
                .then().statusCode(200).contentType("text/csv")
                .header("Transfer-Encoding", "chunked")
                .extract().asString();
        assertEquals(UpstreamStub.STREAMED_CHUNKS, csv.lines().count());
    }

    @Test
    void refusesMissingInvalidAndUnderPrivilegedTokensAsProblems() {
        given().when().get("/api/v1/leads")
                .then().statusCode(401).contentType(PROBLEM_JSON)
                .header("WWW-Authenticate", "Bearer")
                .body("type", equalTo("https://leadforge.io/problems/unauthorized"));
        given().auth().oauth2("not-a-jwt").when().get("/api/v1/leads")
                .then().statusCode(401).contentType(PROBLEM_JSON);
        given().auth().oauth2(TestTokens.user("late").agency(ACME).roles("researcher").shiftedBySeconds(-3600).sign())
                .when().get("/api/v1/leads")
                .then().statusCode(401).contentType(PROBLEM_JSON);
        given().auth().oauth2(TestTokens.token(ACME, "client"))
                .contentType(ContentType.JSON).body("{}")
                .when().post("/api/v1/leads")
                .then().statusCode(403).contentType(PROBLEM_JSON)
                .body("detail", equalTo("The client role is read-only"));
        given().auth().oauth2(TestTokens.user("nobody").agency(ACME).roles("offline_access").sign())
                .when().get("/api/v1/leads")
                .then().statusCode(403).contentType(PROBLEM_JSON);
        given().auth().oauth2(TestTokens.user("homeless").roles("researcher").sign())
                .when().get("/api/v1/leads")
                .then().statusCode(403).contentType(PROBLEM_JSON);
    }

    @Test
    void onlyASuperAdminChoosesTheAgencyAndMustDoSo() {
        given().auth().oauth2(TestTokens.token(ACME, "agency_admin"))
                .header("X-Agency-Id", BEACON)
                .when().get("/api/v1/leads")
                .then().statusCode(403).contentType(PROBLEM_JSON);
        String superAdmin = TestTokens.user("root").agency(ACME).roles("super_admin").sign();
        given().auth().oauth2(superAdmin)
                .when().get("/api/v1/leads")
                .then().statusCode(400).contentType(PROBLEM_JSON)
                .body("type", equalTo("https://leadforge.io/problems/agency-required"));
        given().auth().oauth2(superAdmin)
                .header("X-Agency-Id", BEACON)
                .when().get("/api/v1/leads")
                .then().statusCode(200)
                .body("headers.x-agency-id", equalTo(BEACON));
    }

    @Test
    void unknownPathsAndStoppedServicesAreProblems() {
        given().auth().oauth2(TestTokens.token(ACME, "researcher"))
                .when().get("/api/v1/unknown")
                .then().statusCode(404).contentType(PROBLEM_JSON);
        given().auth().oauth2(TestTokens.token(ACME, "researcher"))
                .when().get("/api/v1/analytics/overview")
                .then().statusCode(503).contentType(PROBLEM_JSON)
                .body("type", equalTo("https://leadforge.io/problems/service-unavailable"))
                .body("detail", not(org.hamcrest.Matchers.containsString("Exception")))
                .body("request_id", notNullValue());
    }

    @Test
    void everyPublicResourceHasItsOwningService() {
        Map.of("/api/v1/leads", "lead-service",
                "/api/v1/leads/42/notes", "lead-service",
                "/api/v1/campaigns/7", "campaign-service",
                "/api/v1/data-sources", "scraping-service",
                "/api/v1/jobs/9/runs", "scraping-service",
                "/api/v1/analytics/overview", "analytics-service",
                "/api/v1/notifications", "analytics-service",
                "/api/v1/notifications/unread", "analytics-service")
                .forEach((path, service) -> assertEquals(service, routes.resolve(path).orElseThrow().service(), path));
        assertTrue(routes.resolve("/api/v1/leadsx").isEmpty());
        assertTrue(routes.resolve("/api/v1/notification").isEmpty());
        // Forwarded to the analytics-service, which is down in this test.
        given().auth().oauth2(TestTokens.token(ACME, "client"))
                .when().get("/api/v1/notifications")
                .then().statusCode(503).contentType(PROBLEM_JSON)
                .body("detail", org.hamcrest.Matchers.containsString("analytics-service"));
    }

    @Test
    void securityHeadersAreSet() {
        given().when().get("/api/openapi")
                .then().statusCode(200)
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY");
    }
}
