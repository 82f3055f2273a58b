package com.leadforge.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import com.leadforge.testsupport.Await;
import com.leadforge.testsupport.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import jakarta.inject.Inject;

@QuarkusTest
@TestProfile(ResilienceTest.QuickBreakers.class)
class ResilienceTest {

    static final String PROBLEM_JSON = "application/problem+json";

    public static class QuickBreakers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "leadforge.gateway.resilience.breaker-request-volume", "4",
                    "leadforge.gateway.resilience.breaker-failure-ratio", "0.5",
                    "leadforge.gateway.resilience.breaker-delay", "5S",
                    "leadforge.gateway.resilience.idempotent-retries", "2",
                    "leadforge.gateway.resilience.retry-delay", "20MS",
                    "leadforge.gateway.response-timeout", "1S");
        }
    }

    static {
        io.restassured.RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Inject
    GatewayConfig config;

    @Inject
    UpstreamGuards guards;

    @Inject
    io.micrometer.core.instrument.MeterRegistry meters;

    private final String token = TestTokens.token(TestTokens.AGENCY_ACME, "researcher");

    private Response get(String path) {
        return given().auth().oauth2(token).when().get(path);
    }

    @Test
    void aStoppedServiceOpensOnlyItsOwnBreakerWhichClosesWhenTheServiceIsBack() {
        int port = URI.create(config.services().scraping()).getPort();
        try (SwitchableService scraping = new SwitchableService(port).start()) {
            get("/api/v1/jobs").then().statusCode(200);

            scraping.stop();
            get("/api/v1/jobs").then().statusCode(503).contentType(PROBLEM_JSON)
                    .body("type", equalTo("https://leadforge.io/problems/service-unavailable"));
            Await.until("the scraping-service breaker to open", Duration.ofSeconds(30),
                    () -> get("/api/v1/jobs").then().extract().path("detail").toString()
                            .contains("temporarily unavailable"));
            assertEquals(1, guards.breakerState("scraping-service"), "the breaker gauge shows it open");
            assertEquals(0, guards.breakerState("lead-service"));
            assertEquals(1.0, meters.get("leadforge.gateway.breaker.state").tag("service", "scraping-service").gauge()
                    .value());

            scraping.start();
            int received = scraping.requests();
            get("/api/v1/data-sources").then().statusCode(503).contentType(PROBLEM_JSON)
                    .header("Retry-After", matchesPattern("[1-9][0-9]*"))
                    .body("detail", containsString("temporarily unavailable"));
            assertEquals(received, scraping.requests(), "an open breaker must not forward");

            // Another service's breaker stays closed.
            get("/api/v1/leads").then().statusCode(200);

            Await.until("the scraping-service breaker to close again", Duration.ofSeconds(30),
                    () -> get("/api/v1/jobs").statusCode() == 200);
            assertEquals(0, guards.breakerState("scraping-service"), "the gauge follows it closed again");
            get("/api/v1/data-sources").then().statusCode(200).body("uri", equalTo("/api/v1/data-sources"));
        }
    }

    /**
     * A service shedding load answers 503 itself, in time: that is an answer, not a failure of the service. The
     * breaker must stay closed, or one agency's heavy searches would cut every agency off the whole service.
     */
    @Test
    void aServiceAnswering503ForOverloadNeverOpensItsBreaker() {
        int port = URI.create(config.services().scraping()).getPort();
        try (SwitchableService scraping = new SwitchableService(port).start()) {
            get("/api/v1/jobs").then().statusCode(200);
            scraping.overloaded(true);
            int before = scraping.requests();
            for (int i = 0; i < 12; i++) {
                get("/api/v1/jobs?search=Engineer").then().statusCode(503).header("Retry-After", "1")
                        .body("detail", equalTo("Too many searches are running right now"));
            }
            assertEquals(before + 12, scraping.requests(), "every request reached the service");
            assertEquals(0, guards.breakerState("scraping-service"), "the breaker stayed closed");
            scraping.overloaded(false);
            get("/api/v1/jobs").then().statusCode(200);
        }
    }

    /**
     * A service that restarts (a crash, a rollout) closes every connection the gateway pooled to it. Once it is back,
     * no request may be sent on one of those: for a POST, which is never retried, that would be a 502 although the
     * service is up.
     */
    @Test
    void connectionsPooledBeforeAServiceRestartCarryNoRequestAfterIt() throws Exception {
        URI gateway = URI.create(io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port);
        int port = URI.create(config.services().scraping()).getPort();
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1).build();
        ExecutorService callers = Executors.newFixedThreadPool(12);
        try (SwitchableService scraping = new SwitchableService(port).start()) {
            Map<Integer, Integer> before = statuses(callers, http, gateway, 48);
            assertEquals(Map.of(200, 48), before, "while the service is up");
            scraping.stop();
            scraping.start();
            Map<Integer, Integer> after = statuses(callers, http, gateway, 48);
            assertEquals(Map.of(200, 48), after, "once the service is back");
        } finally {
            callers.shutdownNow();
        }
    }

    private Map<Integer, Integer> statuses(ExecutorService callers,
            HttpClient http, URI gateway, int requests) throws Exception {
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            answers.add(callers.submit(() -> http.send(HttpRequest.newBuilder(
                    gateway.resolve("/api/v1/jobs")).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()));
        }
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (var answer : answers) {
            statuses.merge(answer.get(), 1, Integer::sum);
        }
        return statuses;
    }

    /**
     * Clients that hang up mid-request (a load generator stopping, a browser tab closed) cut the exchange on the
     * gateway's side: that says nothing about the service, and must not open its breaker for everyone.
     */
    @Test
    void clientsHangingUpMidRequestNeverOpenTheServicesBreaker() throws Exception {
        URI gateway = URI.create(io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port);
        int port = URI.create(config.services().scraping()).getPort();
        try (SwitchableService scraping = new SwitchableService(port).start()) {
            scraping.readsBodyFirst(true);
            for (int i = 0; i < 8; i++) {
                int before = scraping.requests();
                try (java.net.Socket socket = new java.net.Socket(gateway.getHost(), gateway.getPort())) {
                    var out = socket.getOutputStream();
                    out.write(("POST /api/v1/jobs HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                            + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"partial\":")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    out.flush();
                    // The request is at the service, its body still coming: now the client goes away.
                    Await.until("the request to reach the service", Duration.ofSeconds(10),
                            () -> scraping.requests() > before);
                }
            }
            // Each cut exchange has reached the service's side (and the gateway's breaker) before looking.
            Await.until("8 exchanges cut", Duration.ofSeconds(10), () -> scraping.abandoned() == 8);
            get("/api/v1/jobs").then().statusCode(200);
            assertEquals(0, guards.breakerState("scraping-service"), "hung-up clients are not failures of the service");
        }
    }

    @Test
    void onlyIdempotentMethodsAreRetriedAndOnlyWhenTheConnectionFailed() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        Supplier<CompletionStage<HttpClientResponse>> refusedOnce = () -> attempts.incrementAndGet() == 1
                ? CompletableFuture.failedFuture(new ConnectException("Connection refused"))
                : CompletableFuture.completedFuture(null);

        guards.call("analytics-service", HttpMethod.GET, refusedOnce).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(2, attempts.get(), "a GET whose connection failed is tried again");

        attempts.set(0);
        ExecutionException post = assertThrows(ExecutionException.class, () -> guards
                .call("analytics-service", HttpMethod.POST, refusedOnce).toCompletableFuture()
                .get(10, TimeUnit.SECONDS));
        assertInstanceOf(ConnectException.class, UpstreamGuards.unwrap(post));
        assertEquals(1, attempts.get(), "a POST is never retried");

        attempts.set(0);
        assertThrows(ExecutionException.class, () -> guards.call("analytics-service", HttpMethod.GET, () -> {
            attempts.incrementAndGet();
            return CompletableFuture.failedFuture(new IOException("Connection reset mid-answer"));
        }).toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertEquals(1, attempts.get(), "a GET that reached the service is not retried");
    }

    @Test
    void aServiceThatDoesNotAnswerInTimeIsAGatewayTimeout() {
        get("/api/v1/leads/slow").then().statusCode(504).contentType(PROBLEM_JSON)
                .body("type", equalTo("https://leadforge.io/problems/gateway-timeout"));
    }
}
