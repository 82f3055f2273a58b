package com.leadforge.gateway.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import com.leadforge.gateway.routing.UpstreamStub;
import com.leadforge.testsupport.RecordedSpans;
import com.leadforge.testsupport.TestTokens;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;

/**
 * With tracing on, the gateway continues the caller's trace (or starts one) in its server span, exchanges with the
 * service in a client span under it, and the service receives that client span's context: the service's server span
 * becomes its child. One traceparent reaches the service, never the caller's raw one. Query values stay out of spans.
 */
@QuarkusTest
@TestProfile(TracingOn.class)
@QuarkusTestResource(UpstreamStub.class)
class TracePropagationTest {

    @Inject
    InMemorySpanExporter exporter;

    @Test
    void theServiceGetsTheGatewaysClientSpanUnderItsServerSpanUnderTheCaller() {
        RecordedSpans spans = new RecordedSpans(exporter);
        String traceId = hex(16);
        String callerSpan = hex(8);
        String forwarded = RestAssured.given().auth().oauth2(TestTokens.token(TestTokens.AGENCY_ACME, "researcher"))
                .header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                .contentType(ContentType.JSON).body("{\"email\":\"t@example.com\"}")
                .when().post("/api/v1/leads")
                .then().statusCode(200)
                .extract().path("headers.traceparent");

        SpanData server = spans.await("the gateway's server span, child of the caller",
                span -> span.getKind() == SpanKind.SERVER && span.getParentSpanId().equals(callerSpan));
        assertEquals(traceId, server.getTraceId());
        SpanData client = spans.await("the exchange with lead-service, child of the server span",
                RecordedSpans.childOf(traceId, server.getSpanId()).and(span -> span.getKind() == SpanKind.CLIENT));
        assertEquals("00-" + traceId + "-" + client.getSpanId() + "-01", forwarded,
                "the service continues the gateway's exchange span, not the caller's span");
    }

    @Test
    void aRequestWithoutTraceStartsOneThatTheServiceContinues() {
        RecordedSpans spans = new RecordedSpans(exporter);
        String forwarded = RestAssured.given().auth().oauth2(TestTokens.token(TestTokens.AGENCY_ACME, "researcher"))
                .when().get("/api/v1/campaigns")
                .then().statusCode(200)
                .extract().path("headers.traceparent");
        String[] parts = forwarded.split("-");
        SpanData client = spans.await("the gateway's client span the service was given",
                span -> span.getSpanId().equals(parts[2]));
        assertEquals(SpanKind.CLIENT, client.getKind());
        SpanData server = spans.await("its parent", span -> span.getSpanId().equals(client.getParentSpanId()));
        assertEquals(SpanKind.SERVER, server.getKind());
        assertEquals(parts[1], server.getTraceId());
    }

    @Test
    void queryValuesNeverReachASpan() {
        RecordedSpans spans = new RecordedSpans(exporter);
        String traceId = hex(16);
        RestAssured.given().auth().oauth2(TestTokens.token(TestTokens.AGENCY_ACME, "researcher"))
                .header("traceparent", "00-" + traceId + "-" + hex(8) + "-01")
                .when().get("/api/v1/leads?search=ada@example.com&pageSize=5")
                .then().statusCode(200);
        SpanData server = spans.await("the server span", span -> span.getKind() == SpanKind.SERVER
                && span.getTraceId().equals(traceId));
        SpanData client = spans.await("the client span", span -> span.getKind() == SpanKind.CLIENT
                && span.getTraceId().equals(traceId));
        assertEquals("search=?&pageSize=?", server.getAttributes().get(AttributeKey.stringKey("url.query")));
        String full = client.getAttributes().get(AttributeKey.stringKey("url.full"));
        assertTrue(full == null || full.endsWith("/api/v1/leads?search=?&pageSize=?"), full);
        assertFalse(RecordedSpans.describe(spans.inTrace(traceId)).contains("ada@"));
        spans.inTrace(traceId).forEach(span -> assertFalse(span.getAttributes().toString().contains("ada@"),
                span.getAttributes().toString()));
    }

    private static String hex(int bytes) {
        byte[] value = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(value);
        value[0] |= 1;
        return HexFormat.of().formatHex(value);
    }
}
