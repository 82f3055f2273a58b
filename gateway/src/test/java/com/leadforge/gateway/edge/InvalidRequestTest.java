package com.leadforge.gateway.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.leadforge.testsupport.RawHttp;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * What the HTTP codec refuses before any route runs is problem+json too: sent over a raw socket, because HTTP client
 * libraries refuse to send such requests.
 */
@QuarkusTest
class InvalidRequestTest {

    static final String PROBLEM_JSON = "application/problem+json";

    @Test
    void aTwentyKilobyteRequestLineIsUriTooLong() {
        RawHttp.Response response = RawHttp.send(RestAssured.port,
                RawHttp.get("/api/v1/leads?search=" + "a".repeat(20_000)));
        assertProblem(response, 414, "uri-too-long");
    }

    @Test
    void aHugeHeaderIsHeadersTooLarge() {
        RawHttp.Response response = RawHttp.send(RestAssured.port,
                RawHttp.get("/api/v1/leads", "X-Padding: " + "b".repeat(40_000)));
        assertProblem(response, 431, "headers-too-large");
    }

    @Test
    void manyHeadersAddingUpPastTheLimitAreHeadersTooLarge() {
        String[] headers = new String[40];
        for (int i = 0; i < headers.length; i++) {
            headers[i] = "X-Padding-" + i + ": " + "c".repeat(1_000);
        }
        assertProblem(RawHttp.send(RestAssured.port, RawHttp.get("/api/v1/leads", headers)), 431,
                "headers-too-large");
    }

    @Test
    void malformedHttpIsAMalformedRequest() {
        assertProblem(RawHttp.send(RestAssured.port, "NONSENSE\r\n\r\n"), 400, "malformed-request");
        assertProblem(RawHttp.send(RestAssured.port,
                "GET /api/v1/leads HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header: x\r\nConnection: close\r\n\r\n"),
                400, "malformed-request");
        assertProblem(RawHttp.send(RestAssured.port,
                "POST /api/v1/leads HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: nine\r\nConnection: close\r\n\r\n"),
                400, "malformed-request");
    }

    @Test
    void aValidRequestAfterwardsIsServedAsUsual() {
        RawHttp.send(RestAssured.port, RawHttp.get("/api/v1/leads?search=" + "a".repeat(20_000)));
        RawHttp.Response response = RawHttp.send(RestAssured.port, RawHttp.get("/api/v1/leads"));
        assertEquals(401, response.status(), response.body());
        assertEquals(PROBLEM_JSON, response.header("Content-Type"));
    }

    private static void assertProblem(RawHttp.Response response, int status, String type) {
        assertEquals(status, response.status(), response.body());
        assertEquals(PROBLEM_JSON, response.header("Content-Type"));
        assertTrue(response.body().contains("\"type\":\"https://leadforge.io/problems/" + type + "\""),
                response.body());
        assertTrue(response.body().contains("\"status\":" + status), response.body());
        assertNotNull(response.header("X-Request-Id"), "X-Request-Id");
        assertFalse(response.body().contains("Exception"), response.body());
    }
}
