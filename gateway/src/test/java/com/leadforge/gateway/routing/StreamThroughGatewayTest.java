package com.leadforge.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.leadforge.testsupport.Await;
import com.leadforge.testsupport.SseClient;
import com.leadforge.testsupport.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The live stream crosses the gateway as it is written (the first event arrives while the service is still
 * streaming), outlives the ordinary response and idle timeouts, and is bounded per user without holding anything
 * other routes need; a client leaving closes the service's side too.
 */
@QuarkusTest
@TestProfile(StreamThroughGatewayTest.ShortTimeouts.class)
class StreamThroughGatewayTest {

    /** Ordinary requests get 1 s to answer and 1 s of silence; streams get more, and two per user. */
    public static class ShortTimeouts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("leadforge.gateway.response-timeout", "1S",
                    "leadforge.gateway.idle-timeout", "1S",
                    "leadforge.gateway.stream.idle-timeout", "5S",
                    "leadforge.gateway.stream.max-per-user", "2");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(StreamingUpstream.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    @TestHTTPResource("/api/v1/stream")
    URI streamUri;

    @ConfigProperty(name = "stub.base-url")
    String stub;

    final List<SseClient> clients = new ArrayList<>();

    @AfterEach
    void closeAll() {
        clients.forEach(SseClient::close);
    }

    SseClient open(String token, String mode) {
        SseClient client = SseClient.open(URI.create(streamUri + "?mode=" + mode), "Authorization", "Bearer " + token);
        clients.add(client);
        return client;
    }

    JsonPath stubState() {
        return given().baseUri(stub).get("/stub/state").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void eventsArriveAsTheyAreWrittenAndTheStreamOutlivesTheResponseTimeout() {
        long opened = System.nanoTime();
        SseClient stream = open(TestTokens.token(TestTokens.AGENCY_ACME, "client"), "finite");
        assertEquals(200, stream.status());
        assertEquals("no", stream.header("X-Accel-Buffering"));
        SseClient.Event first = stream.await("first event", Duration.ofSeconds(3), e -> "tick".equals(e.name()));
        assertEquals("1", first.id());
        assertEquals(0L, stubState().getLong("finished_at"),
                "the first event crossed the gateway while the service was still streaming");
        SseClient.Event last = stream.await("last event", Duration.ofSeconds(10),
                e -> ("" + StreamingUpstream.FINITE_EVENTS).equals(e.id()));
        long streamedFor = Duration.ofNanos(last.receivedNanos() - opened).toMillis();
        assertTrue(streamedFor > 2_500, "streamed for " + streamedFor + " ms, past the 1 s response timeout");
        Await.until("the stream ended with the service's", Duration.ofSeconds(5), stream::ended);
    }

    @Test
    void openStreamsAreBoundedPerUserAndALeavingClientFreesBothSides() {
        String token = TestTokens.user("streamer").agency(TestTokens.AGENCY_ACME).roles("researcher").sign();
        SseClient one = open(token, "hold");
        SseClient two = open(token, "hold");
        assertEquals(200, one.status());
        assertEquals(200, two.status());
        SseClient three = open(token, "hold");
        assertEquals(429, three.status());
        assertTrue(three.header("Content-Type").startsWith("application/problem+json"));
        assertTrue(three.body().contains("/problems/rate-limited"));
        Await.until("two streams open at the service", Duration.ofSeconds(5), () -> stubState().getInt("open") == 2);

        // Open streams hold nothing ordinary requests need.
        given().auth().oauth2(token).get("/api/v1/leads").then().statusCode(200);
        // Another user is not limited by this one.
        assertEquals(200, open(TestTokens.user("other").agency(TestTokens.AGENCY_ACME).roles("researcher").sign(),
                "hold").status());

        one.close();
        Await.until("the service's side of the left stream closed", Duration.ofSeconds(10),
                () -> stubState().getInt("open") == 2);
        Await.until("the slot is free again", Duration.ofSeconds(10), () -> {
            SseClient again = open(token, "hold");
            return again.status() == 200;
        });
    }
}
