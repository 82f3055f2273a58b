package com.leadforge.lead.lead;

import static com.leadforge.lead.LeadApi.*;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

import com.leadforge.lead.LeadApi;
import com.leadforge.testsupport.RealInfrastructure;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/**
 * Text PostgreSQL cannot store (the NUL character; unpaired UTF-16 surrogates, which have no UTF-8 form) is a 400
 * naming the field or parameter — in a JSON body at any depth, a query parameter or a path parameter — never a 500.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = {
        @ResourceArg(name = "database", value = "leads"),
        @ResourceArg(name = "topics", value = LeadApi.TEST_TOPICS) })
class UnstorableTextTest {

    static final String VALIDATION = "https://leadforge.io/problems/validation";

    @Test
    void nulInAQueryParameterIsA400NamingTheParameter() {
        rejected(raw(client()).get("/api/v1/leads?source=a%00b"), "source");
        rejected(raw(client()).get("/api/v1/leads?search=ab%00cd"), "search");
        rejected(raw(client()).get("/api/v1/leads/export?format=csv&assigned_to=%00"), "assigned_to");
    }

    @Test
    void nulInAPathParameterIsA400NamingTheParameter() {
        rejected(raw(client()).get("/api/v1/leads/a%00b"), "id");
    }

    @Test
    void nulOrAnUnpairedSurrogateInAJsonBodyIsA400NamingTheField() {
        rejected(post("{\"first_name\":\"a\\u0000b\"}"), "first_name");
        rejected(post("{\"first_name\":\"Ok\",\"metadata\":{\"notes\":{\"k\":[\"fine\",\"x\\u0000\"]}}}"),
                "metadata.notes.k[1]");
        rejected(post("{\"first_name\":\"Ok\",\"metadata\":{\"bad\\u0000key\":1}}"), "metadata.bad\\u0000key");
        rejected(post("{\"last_name\":\"\\ud800x\"}"), "last_name");
        rejected(post("{\"last_name\":\"x\\udc00\"}"), "last_name");

        String id = create("{\"first_name\":\"Patchable\"}");
        rejected(researcher().contentType(ContentType.JSON).body("{\"company\":\"\\u0000\"}")
                .patch("/api/v1/leads/" + id), "company");
        rejected(researcher().contentType(ContentType.JSON)
                .body("{\"lead_ids\":[\"" + id + "\"],\"updates\":{\"source\":\"s\\u0000\"}}")
                .post("/api/v1/leads/bulk-update"), "updates.source");
        // A surrogate pair (an emoji) is ordinary text.
        researcher().contentType(ContentType.JSON).body("{\"first_name\":\"Ada \\ud83d\\ude00\"}")
                .post("/api/v1/leads").then().statusCode(201).body("first_name", equalTo("Ada \uD83D\uDE00"));
    }

    /**
     * A header value cannot be percent-encoded: the raw byte goes over a plain socket. The HTTP server (Vert.x)
     * already refuses it with an empty 400 before any application code runs, so the shared filter's header check is
     * only a second line; what matters here is that it is never a 500.
     */
    @Test
    void nulInAHeaderIsRefusedBeforeTheApplication() throws Exception {
        String token = com.leadforge.testsupport.TestTokens.token(ACME, "client");
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /api/v1/leads HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + token + "\r\nX-Note: a\u0000b\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            org.junit.jupiter.api.Assertions.assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
        }
    }

    private static ValidatableResponse post(String body) {
        return researcher().contentType(ContentType.JSON).body(body).post("/api/v1/leads").then();
    }

    private static void rejected(io.restassured.response.Response response, String field) {
        rejected(response.then(), field);
    }

    private static void rejected(ValidatableResponse response, String field) {
        response.statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo(VALIDATION))
                .body("errors.field", contains(field))
                .body("errors[0].message", anyOf(containsString("U+0000"), containsString("surrogate")))
                .body(not(containsString("Exception")))
                .body(not(containsString("SQL")));
    }

    /** Sends the URL exactly as written: %00 must reach the service percent-encoded, not re-encoded. */
    private static RequestSpecification raw(RequestSpecification request) {
        return request.urlEncodingEnabled(false);
    }
}
