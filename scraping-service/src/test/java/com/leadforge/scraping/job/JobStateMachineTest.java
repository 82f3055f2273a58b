package com.leadforge.scraping.job;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.leadforge.testsupport.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Every action from every state, through the API: allowed ones answer 200 with the new state, the others 409
 * problem+json naming the actions the state allows. And who may act: roles and agencies.
 */
@QuarkusTest
class JobStateMachineTest {

    static final String ACME = TestTokens.AGENCY_ACME;
    static final String BEACON = TestTokens.AGENCY_BEACON;
    static final List<String> ACTIONS = List.of("start", "pause", "resume", "cancel");
    /** The state each allowed action leads to, per state; absent = 409. */
    static final Map<String, Map<String, String>> ALLOWED = Map.of(
            "pending", Map.of("start", "running", "cancel", "cancelled"),
            "running", Map.of("pause", "paused", "cancel", "cancelled"),
            "paused", Map.of("resume", "running", "cancel", "cancelled"),
            "completed", Map.of(),
            "failed", Map.of(),
            "cancelled", Map.of());

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    JobFixtures fixtures;

    @BeforeEach
    void connect() {
        fixtures = new JobFixtures(bootstrapServers);
    }

    @AfterEach
    void disconnect() {
        fixtures.close();
    }

    @Test
    void everyActionFromEveryStateIsAllowedOrAConflictNamingTheAllowedOnes() throws Exception {
        List<String> checked = new ArrayList<>();
        for (String state : ALLOWED.keySet()) {
            for (String action : ACTIONS) {
                String job = jobIn(state);
                String expected = ALLOWED.get(state).get(action);
                if (expected != null) {
                    fixtures.act(ACME, job, action).statusCode(200).body("status", equalTo(expected));
                } else {
                    fixtures.act(ACME, job, action).statusCode(409).contentType("application/problem+json")
                            .body("type", equalTo("https://leadforge.io/problems/conflict"))
                            .body("detail", containsString("cannot " + action))
                            .body("detail", containsString("allowed: " + allowedText(state)));
                    assertEquals(state, fixtures.view(ACME, job).getString("status"), "a refused action changes nothing");
                }
                checked.add(state + "+" + action);
            }
        }
        assertEquals(24, checked.size());
    }

    @Test
    void onlyTheAgencysAdminsAndResearchersRunJobs() throws Exception {
        String job = jobIn("pending");
        for (String action : ACTIONS) {
            given().auth().oauth2(TestTokens.token(ACME, "client")).post("/api/v1/jobs/" + job + "/" + action)
                    .then().statusCode(403).contentType("application/problem+json");
            given().auth().oauth2(TestTokens.token(BEACON, "agency_admin")).post("/api/v1/jobs/" + job + "/" + action)
                    .then().statusCode(404).contentType("application/problem+json");
        }
        given().auth().oauth2(TestTokens.token(ACME, "client")).get("/api/v1/jobs").then().statusCode(403);
        given().auth().oauth2(TestTokens.token(ACME, "client")).get("/api/v1/jobs/" + job).then().statusCode(403);
        given().auth().oauth2(TestTokens.token(BEACON, "researcher")).get("/api/v1/jobs/" + job).then().statusCode(404);
        given().auth().oauth2(TestTokens.token(BEACON, "researcher")).get("/api/v1/jobs/" + job + "/logs")
                .then().statusCode(404);
        given().auth().oauth2(TestTokens.token(BEACON, "researcher")).get("/api/v1/jobs").then().statusCode(200)
                .body("data.id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(job)));
        given().get("/api/v1/jobs/" + job).then().statusCode(401);
        fixtures.act(ACME, job, "cancel").statusCode(200);
        given().auth().oauth2(TestTokens.token(ACME, "agency_admin")).get("/api/v1/jobs?status=cancelled")
                .then().statusCode(200).body("data.id", org.hamcrest.Matchers.hasItem(job));
    }

    @Test
    void aJobNeedsALiveDataSourceAndAnOpenCampaignOfItsOwnAgency() throws Exception {
        String beaconSource = fixtures.csvSource(BEACON);
        given().auth().oauth2(JobFixtures.token(ACME)).contentType(ContentType.JSON)
                .body("{\"data_source_id\":\"" + beaconSource + "\"}").post("/api/v1/jobs")
                .then().statusCode(400).body("errors[0].field", equalTo("data_source_id"));
        String source = fixtures.csvSource(ACME);
        String closed = fixtures.campaign(ACME, "completed");
        String foreign = fixtures.campaign(BEACON, "active");
        String open = fixtures.campaign(ACME, "draft");
        com.leadforge.testsupport.Await.until("open campaign known", java.time.Duration.ofSeconds(30),
                () -> given().auth().oauth2(JobFixtures.token(ACME)).contentType(ContentType.JSON)
                        .body("{\"data_source_id\":\"" + source + "\",\"campaign_id\":\"" + open + "\"}")
                        .post("/api/v1/jobs").statusCode() == 201);
        for (String campaign : List.of(closed, foreign)) {
            given().auth().oauth2(JobFixtures.token(ACME)).contentType(ContentType.JSON)
                    .body("{\"data_source_id\":\"" + source + "\",\"campaign_id\":\"" + campaign + "\"}")
                    .post("/api/v1/jobs").then().statusCode(400).body("errors[0].field", equalTo("campaign_id"));
        }
        for (String body : List.of("{}", "{\"data_source_id\":\"nope\"}", "[]",
                "{\"data_source_id\":\"" + source + "\",\"search_criteria\":\"x\"}")) {
            given().auth().oauth2(JobFixtures.token(ACME)).contentType(ContentType.JSON).body(body)
                    .post("/api/v1/jobs").then().statusCode(400).contentType("application/problem+json");
        }
        given().auth().oauth2(JobFixtures.token(ACME)).get("/api/v1/jobs?status=sleeping").then().statusCode(400);
        given().auth().oauth2(JobFixtures.token(ACME)).get("/api/v1/jobs/not-a-uuid").then().statusCode(400)
                .contentType("application/problem+json");
    }

    /** A fresh job in the state, reached through the API (and the worker, for completed and failed). */
    private String jobIn(String state) throws Exception {
        String source = fixtures.csvSource(ACME);
        String job = fixtures.job(ACME, source, null);
        switch (state) {
            case "pending" -> fixtures.upload(ACME, job, JobFixtures.csv(2)); // startable: it has its file
            case "running", "paused", "cancelled", "completed" -> {
                fixtures.upload(ACME, job, JobFixtures.csv(2));
                fixtures.act(ACME, job, "start").statusCode(200);
                if (state.equals("paused")) {
                    fixtures.act(ACME, job, "pause").statusCode(200);
                } else if (state.equals("cancelled")) {
                    fixtures.act(ACME, job, "cancel").statusCode(200);
                } else if (state.equals("completed")) {
                    fixtures.awaitBatches(job, 2);
                    fixtures.answer(ACME, job, record -> null);
                    fixtures.awaitStatus(ACME, job, "completed");
                }
                // running: nobody answers its batch, so it stays running.
            }
            case "failed" -> {
                fixtures.upload(ACME, job, "colour\nred\n");
                fixtures.act(ACME, job, "start").statusCode(200);
                fixtures.awaitStatus(ACME, job, "failed");
            }
            default -> throw new IllegalArgumentException(state);
        }
        assertEquals(state, fixtures.view(ACME, job).getString("status"));
        return job;
    }

    private static String allowedText(String state) {
        List<String> actions = new ArrayList<>();
        for (JobAction action : EnumSet.allOf(JobAction.class)) {
            if (action.allowedFrom(JobStatus.fromCode(state).orElseThrow())) {
                actions.add(action.path());
            }
        }
        return actions.isEmpty() ? "none (the job has ended)" : String.join(", ", actions);
    }

    static {
        io.restassured.RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }
}
