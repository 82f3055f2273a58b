package com.leadforge.stack;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.leadforge.stack.OtlpReceiver.ReceivedSpan;
import com.leadforge.testsupport.Await;

import io.restassured.http.ContentType;

/**
 * One trace, as the services export it over OTLP, from a request through the gateway to the consumers' effects in
 * other services: the gateway's server span continues the caller's context, its client span carries it to
 * lead-service, whose server span writes the lead and its outbox row; the relay's send span is that request's child,
 * and the consumer spans in campaign-service (campaign counters) and analytics-service (overview) are children of the
 * send, with the statements of their effects under them. Then the effects themselves are checked through the API.
 */
@ExtendWith(RunningStack.class)
class TraceAcrossServicesTest {

    static final Duration EXPORTED = Duration.ofSeconds(60);
    static final String LEAD_EVENTS = "leadforge.lead-events";

    @Test
    void aLeadCreatedThroughTheGatewayIsOneTraceIntoEveryConsumer(Stack stack, OtlpReceiver traces) {
        String admin = KeycloakTokens.of(stack, "admin-acme");
        String researcher = KeycloakTokens.of(stack, "researcher-acme");
        String campaignId = given().baseUri(stack.gatewayUrl()).auth().oauth2(admin)
                .contentType(ContentType.JSON).body("{\"name\":\"Traced " + System.nanoTime() + "\"}")
                .when().post("/api/v1/campaigns")
                .then().statusCode(201).extract().path("id");
        long analyticsBefore = leadsCounted(stack, researcher);

        String traceId = hex(16);
        String callerSpan = hex(8);
        given().baseUri(stack.gatewayUrl()).auth().oauth2(researcher)
                .header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                .contentType(ContentType.JSON)
                .body("{\"first_name\":\"Grace\",\"email\":\"grace." + hex(4) + "@example.com\",\"campaign_id\":\""
                        + campaignId + "\"}")
                .when().post("/api/v1/leads")
                .then().statusCode(201);

        ReceivedSpan gatewayServer = traces.await("the gateway's server span, child of the caller", traceId,
                span -> "gateway".equals(span.service()) && "SERVER".equals(span.kind())
                        && span.parentSpanId().equals(callerSpan), EXPORTED);
        ReceivedSpan gatewayClient = traces.await("the gateway's exchange with lead-service", traceId,
                span -> "gateway".equals(span.service()) && "CLIENT".equals(span.kind())
                        && span.isChildOf(gatewayServer), EXPORTED);
        ReceivedSpan leadServer = traces.await("lead-service's server span, child of the gateway's exchange", traceId,
                span -> "lead-service".equals(span.service()) && "SERVER".equals(span.kind())
                        && span.isChildOf(gatewayClient), EXPORTED);
        traces.await("lead-service's INSERT of the lead, in the request", traceId,
                span -> "lead-service".equals(span.service()) && "CLIENT".equals(span.kind())
                        && span.isChildOf(leadServer), EXPORTED);
        ReceivedSpan send = traces.await("the outbox relay's send, child of the request that wrote the row", traceId,
                span -> "lead-service".equals(span.service()) && "PRODUCER".equals(span.kind())
                        && ("send " + LEAD_EVENTS).equals(span.name()) && span.isChildOf(leadServer), EXPORTED);
        ReceivedSpan counters = traces.await("campaign-service's consumer span, child of the send", traceId,
                span -> "campaign-service".equals(span.service()) && "CONSUMER".equals(span.kind())
                        && ("process " + LEAD_EVENTS).equals(span.name()) && span.isChildOf(send), EXPORTED);
        ReceivedSpan overview = traces.await("analytics-service's consumer span, child of the send", traceId,
                span -> "analytics-service".equals(span.service()) && "CONSUMER".equals(span.kind())
                        && ("process " + LEAD_EVENTS).equals(span.name()) && span.isChildOf(send), EXPORTED);
        traces.await("a statement of campaign-service's counter update, under its consumer span", traceId,
                span -> "campaign-service".equals(span.service()) && "CLIENT".equals(span.kind())
                        && descendsFrom(span, counters, traces.inTrace(traceId)), EXPORTED);
        traces.await("a statement of analytics-service's projection, under its consumer span", traceId,
                span -> "analytics-service".equals(span.service()) && "CLIENT".equals(span.kind())
                        && descendsFrom(span, overview, traces.inTrace(traceId)), EXPORTED);

        // The effects those spans recorded, seen through the API.
        Await.until("campaign-service counts the lead in its campaign", EXPORTED,
                () -> given().baseUri(stack.gatewayUrl()).auth().oauth2(admin)
                        .when().get("/api/v1/campaigns/" + campaignId)
                        .then().statusCode(200).extract().<Integer>path("leads_count") == 1);
        Await.until("analytics-service counts the lead", EXPORTED,
                () -> leadsCounted(stack, researcher) >= analyticsBefore + 1);

        List<ReceivedSpan> trace = traces.inTrace(traceId);
        assertTrue(trace.stream().allMatch(span -> span.traceId().equals(traceId)));
        assertEquals(List.of("analytics-service", "campaign-service", "gateway", "lead-service"),
                trace.stream().map(ReceivedSpan::service).distinct().sorted().toList(),
                "the trace crosses exactly the services the request and its event touch:\n"
                        + OtlpReceiver.describe(trace));
        System.out.printf("TraceAcrossServicesTest: trace %s has %d spans: gateway %s -> %s -> lead-service %s -> "
                + "send %s -> campaign-service %s, analytics-service %s%n", traceId, trace.size(),
                gatewayServer.spanId(), gatewayClient.spanId(), leadServer.spanId(), send.spanId(),
                counters.spanId(), overview.spanId());
    }

    /** Whether {@code span} is {@code ancestor} or lies below it (the statements of an effect may sit deeper). */
    private static boolean descendsFrom(ReceivedSpan span, ReceivedSpan ancestor, List<ReceivedSpan> trace) {
        ReceivedSpan current = span;
        for (int depth = 0; current != null && depth < 50; depth++) {
            if (current.spanId().equals(ancestor.spanId())) {
                return true;
            }
            String parent = current.parentSpanId();
            current = trace.stream().filter(s -> s.spanId().equals(parent)).findFirst().orElse(null);
        }
        return false;
    }

    private static long leadsCounted(Stack stack, String token) {
        return given().baseUri(stack.gatewayUrl()).auth().oauth2(token)
                .when().get("/api/v1/analytics/overview")
                .then().statusCode(200).extract().<Integer>path("overview.leads.total");
    }

    private static String hex(int bytes) {
        byte[] value = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(value);
        value[0] |= 1;
        return HexFormat.of().formatHex(value);
    }
}
