package com.leadforge.campaign.campaign;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.leadforge.testsupport.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Every ordered pair of states, through the API: the allowed transitions succeed, every other one answers 409
 * problem+json naming the transitions that are allowed, and leaves the campaign as it was. The expected machine is
 * written out here independently of {@link CampaignStatus}, so a change of the enum cannot silently pass.
 */
@QuarkusTest
class CampaignStatusMachineTest {

    static final List<String> STATES = List.of("draft", "active", "paused", "completed", "archived");
    /** draft → active ⇄ paused → completed → archived, and draft → archived. */
    static final Set<String> ALLOWED = Set.of("draft>active", "draft>archived", "active>paused", "paused>active",
            "paused>completed", "completed>archived");
    static final Map<String, String> ALLOWED_FROM = Map.of("draft", "active, archived", "active", "paused",
            "paused", "active, completed", "completed", "archived", "archived", "none");
    /** How to reach each state from a new draft, along allowed transitions. */
    static final Map<String, List<String>> PATH = Map.of("draft", List.of(), "active", List.of("active"),
            "paused", List.of("active", "paused"), "completed", List.of("active", "paused", "completed"),
            "archived", List.of("archived"));

    static List<Object[]> everyPair() {
        List<Object[]> pairs = new ArrayList<>();
        for (String from : STATES) {
            for (String to : STATES) {
                pairs.add(new Object[] { from, to });
            }
        }
        return pairs;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("everyPair")
    void transition(String from, String to) {
        String admin = TestTokens.token(TestTokens.AGENCY_ACME, "agency_admin");
        String id = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\":\"machine %s\"}".formatted(UUID.randomUUID()))
                .post("/api/v1/campaigns").then().statusCode(201).extract().path("id");
        for (String step : PATH.get(from)) {
            setStatus(admin, id, step).then().statusCode(200).body("status", equalTo(step));
        }

        if (from.equals(to)) {
            // Not a transition: a repeated PUT of the current status is accepted and changes nothing.
            setStatus(admin, id, to).then().statusCode(200).body("status", equalTo(from));
        } else if (ALLOWED.contains(from + ">" + to)) {
            setStatus(admin, id, to).then().statusCode(200).body("status", equalTo(to));
        } else {
            setStatus(admin, id, to).then().statusCode(409)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://leadforge.io/problems/conflict"))
                    .body("detail", containsString("allowed: " + ALLOWED_FROM.get(from)))
                    .body("errors[0].field", equalTo("status"));
        }
        String expected = ALLOWED.contains(from + ">" + to) ? to : from;
        given().auth().oauth2(admin).get("/api/v1/campaigns/" + id)
                .then().statusCode(200).body("status", equalTo(expected));
    }

    /**
     * draft → active and draft → archived are both allowed, but not one after the other: of two concurrent requests
     * one wins and the other, judged against the winner's status under the row lock, is a 409.
     */
    @Test
    void concurrentTransitionsAreJudgedOneAfterTheOther() throws Exception {
        String admin = TestTokens.token(TestTokens.AGENCY_ACME, "agency_admin");
        for (int round = 0; round < 5; round++) {
            String id = given().auth().oauth2(admin).contentType(ContentType.JSON)
                    .body("{\"name\":\"race %s\"}".formatted(UUID.randomUUID()))
                    .post("/api/v1/campaigns").then().statusCode(201).extract().path("id");
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<Integer> toActive = pool.submit(() -> {
                    start.await();
                    return setStatus(admin, id, "active").statusCode();
                });
                Future<Integer> toArchived = pool.submit(() -> {
                    start.await();
                    return setStatus(admin, id, "archived").statusCode();
                });
                start.countDown();
                List<Integer> answers = List.of(toActive.get(30, TimeUnit.SECONDS), toArchived.get(30, TimeUnit.SECONDS));
                assertEquals(1, answers.stream().filter(s -> s == 200).count(), "answers: " + answers);
                assertEquals(1, answers.stream().filter(s -> s == 409).count(), "answers: " + answers);
                String winner = answers.get(0) == 200 ? "active" : "archived";
                given().auth().oauth2(admin).get("/api/v1/campaigns/" + id)
                        .then().statusCode(200).body("status", equalTo(winner));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aRefusedTransitionLeavesTheOtherFieldsOfTheRequestUnapplied() {
        String admin = TestTokens.token(TestTokens.AGENCY_ACME, "agency_admin");
        String name = "unchanged " + UUID.randomUUID();
        String id = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\":\"%s\"}".formatted(name))
                .post("/api/v1/campaigns").then().statusCode(201).extract().path("id");
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\":\"renamed %s\",\"status\":\"completed\"}".formatted(UUID.randomUUID()))
                .put("/api/v1/campaigns/" + id)
                .then().statusCode(409);
        given().auth().oauth2(admin).get("/api/v1/campaigns/" + id)
                .then().statusCode(200).body("name", equalTo(name)).body("status", equalTo("draft"));
    }

    private static io.restassured.response.Response setStatus(String token, String id, String status) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"status\":\"%s\"}".formatted(status))
                .put("/api/v1/campaigns/" + id);
    }
}
