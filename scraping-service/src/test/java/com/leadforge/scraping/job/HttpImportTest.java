package com.leadforge.scraping.job;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.leadforge.scraping.connector.http.SourceStubs;
import com.leadforge.shared.events.ScrapedRecord;
import com.leadforge.shared.events.ScrapedRecordsEvent;
import com.leadforge.testsupport.Await;
import com.leadforge.testsupport.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Jobs over the HTTP connectors, through the job API and the real worker, broker and database, against stubbed
 * third-party APIs: each item once with its sequence number, the failures a job ends with (refused credentials,
 * timeouts, malformed pages, an open circuit breaker) and their request counts, Apollo's ten pages through a 429, and a
 * pause in the middle that resumes from the checkpoint without re-sending anything.
 */
@QuarkusTest
class HttpImportTest {

    static final String ACME = TestTokens.AGENCY_ACME;

    static {
        io.restassured.RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    static SourceStubs stubs;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    JobFixtures fixtures;

    @BeforeAll
    static void startStubs() {
        stubs = new SourceStubs();
    }

    @AfterAll
    static void stopStubs() {
        stubs.close();
    }

    @BeforeEach
    void connect() {
        fixtures = new JobFixtures(bootstrapServers);
    }

    @AfterEach
    void disconnect() {
        fixtures.close();
    }

    @Test
    void aGenericApiSourceIsImportedPageByPageWithRejectedItemsCountedAndTheJobCompletes() throws Exception {
        String path = SourceStubs.path("people");
        for (int page = 1; page <= 3; page++) {
            String body = page == 2 ? "{\"data\":[" + SourceStubs.person(2, 1) + ",42," + SourceStubs.person(2, 3)
                    + "," + SourceStubs.person(2, 4) + "]}" : SourceStubs.page(page, 4, null);
            stubs.server.stubFor(get(urlPathEqualTo(path)).withQueryParam("page", equalTo("" + page))
                    .withQueryParam("industry", equalTo("saas")).willReturn(okJson(body)));
        }
        stubs.server.stubFor(get(urlPathEqualTo(path)).withQueryParam("page", equalTo("4"))
                .willReturn(okJson(SourceStubs.page(4, 0, null))));
        String source = source("api", stubs.config(path, "{\"type\":\"page\",\"page_size\":4}"),
                "{\"type\":\"bearer\",\"token\":\"tok-generic-0001\"}");
        String job = job(source, "{\"industry\":\"saas\"}");
        fixtures.act(ACME, job, "start").statusCode(200);

        List<ScrapedRecordsEvent> batches = fixtures.awaitBatches(job, 11);
        long[] seqs = seqs(batches);
        assertTrue(java.util.Arrays.equals(LongStream.rangeClosed(1, 12).filter(seq -> seq != 6).toArray(), seqs),
                "every item once, the non-object (seq 6) rejected: " + java.util.Arrays.toString(seqs));
        ScrapedRecord first = batches.get(0).records().get(0);
        assertEquals(SourceStubs.email(1, 1), first.email());
        assertEquals("Org 1", first.company());
        assertEquals("api", batches.get(0).sourceType());
        fixtures.answer(ACME, job, record -> null);
        fixtures.awaitStatus(ACME, job, "completed");
        var view = fixtures.view(ACME, job);
        assertEquals(12, view.getLong("records_read"));
        assertEquals(1, view.getLong("records_rejected"));
        assertEquals(11, view.getLong("records_qualified"));
        assertEquals(4, stubs.count(path), "each page once, and the empty one that ends it");
        given().auth().oauth2(JobFixtures.token(ACME)).get("/api/v1/jobs/" + job + "/logs?level=warning")
                .then().statusCode(200).body("data[0].message", org.hamcrest.Matchers.equalTo("Record 6 rejected: not_an_object"));
    }

    @Test
    void refusedCredentialsFailTheJobAtOnceWithoutRetries() throws Exception {
        String path = SourceStubs.path("refused");
        stubs.server.stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withStatus(401)));
        String job = job(source("custom", stubs.config(path, null),
                "{\"type\":\"api_key\",\"value\":\"key-refused-0001\"}"), null);
        fixtures.act(ACME, job, "start").statusCode(200);
        fixtures.awaitStatus(ACME, job, "failed");
        String error = fixtures.view(ACME, job).getString("errors[0].message");
        assertEquals("The page: credentials refused (HTTP 401); check the data source's credentials", error);
        assertEquals(1, stubs.count(path), "no retry of refused credentials");
    }

    @Test
    void aSourceSlowerThanTheRequestTimeoutIsRetriedThenFailsTheJobNamingTheTimeout() throws Exception {
        String path = SourceStubs.path("slow");
        stubs.server.stubFor(get(urlPathEqualTo(path))
                .willReturn(okJson(SourceStubs.page(1, 1, null)).withFixedDelay(2500)));
        String job = job(source("api", stubs.config(path, null), null), null);
        fixtures.act(ACME, job, "start").statusCode(200);
        fixtures.awaitStatus(ACME, job, "failed");
        String error = fixtures.view(ACME, job).getString("errors[0].message");
        assertTrue(error.startsWith("The page: no answer within"), error);
        assertTrue(error.contains("time budget of 2.4 s"), "the budget (80 % of the 3 s test lease) ended it: " + error);
        assertTrue(stubs.count(path) >= 2 && stubs.count(path) <= 5, stubs.count(path) + " request(s)");
    }

    @Test
    void aMalformedPageFailsTheJobNamingThePage() throws Exception {
        String path = SourceStubs.path("malformed");
        stubs.server.stubFor(get(urlPathEqualTo(path)).withQueryParam("page", equalTo("1"))
                .willReturn(okJson(SourceStubs.page(1, 2, null))));
        stubs.server.stubFor(get(urlPathEqualTo(path)).withQueryParam("page", equalTo("2"))
                .willReturn(okJson("{\"data\":\"nope\"}")));
        String job = job(source("api", stubs.config(path, "{\"type\":\"page\",\"page_size\":2}"), null), null);
        fixtures.act(ACME, job, "start").statusCode(200);
        fixtures.awaitStatus(ACME, job, "failed");
        assertEquals("Page 2 of the source is malformed: the records pointer '/data' names string, not an array",
                fixtures.view(ACME, job).getString("errors[0].message"));
        assertEquals(2, fixtures.view(ACME, job).getLong("records_read"), "page 1 was read and sent");
    }

    @Test
    void theCircuitBreakerOpensAfterFiveFailedRequestsAndTheNextJobFailsWithoutCallingTheSource() throws Exception {
        String path = SourceStubs.path("down");
        stubs.server.stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withStatus(503)));
        String source = source("api", stubs.config(path, null), null);
        String first = job(source, null);
        fixtures.act(ACME, first, "start").statusCode(200);
        fixtures.awaitStatus(ACME, first, "failed");
        assertEquals("The page: the source answered HTTP 503, still after 5 attempts",
                fixtures.view(ACME, first).getString("errors[0].message"));
        assertEquals(5, stubs.count(path));

        String second = job(source, null);
        fixtures.act(ACME, second, "start").statusCode(200);
        fixtures.awaitStatus(ACME, second, "failed");
        assertTrue(fixtures.view(ACME, second).getString("errors[0].message").contains("circuit breaker open"));
        assertEquals(5, stubs.count(path), "the open breaker did not call the source");
    }

    @Test
    void anApolloJobImportsTenPagesThroughARateLimitWithExactSequenceNumbers() throws Exception {
        String prefix = SourceStubs.path("apollo");
        stubs.apollo(prefix, 10, 25, 4);
        String source = source("apollo", "{\"base_url\":\"" + stubs.base() + prefix + "\",\"per_page\":25}",
                "{\"api_key\":\"apollo-key-123456789\"}");
        String job = job(source, "{\"person_titles\":[\"cto\"],\"organization_num_employees_ranges\":[\"11,50\"]}");
        fixtures.act(ACME, job, "start").statusCode(200);

        List<ScrapedRecordsEvent> batches = fixtures.awaitBatches(job, 250);
        assertTrue(java.util.Arrays.equals(LongStream.rangeClosed(1, 250).toArray(), seqs(batches)),
                "each person once, numbered in page order");
        assertEquals(10, batches.size(), "one batch per page");
        assertEquals("apollo", batches.get(0).sourceType());
        assertEquals("+14155551001", batches.get(0).records().get(0).phone());
        assertEquals(11, stubs.count(prefix + "/v1/mixed_people/search"), "ten pages and the one 429");
        fixtures.answer(ACME, job, record -> null);
        fixtures.awaitStatus(ACME, job, "completed");
        assertEquals(250, fixtures.view(ACME, job).getLong("records_qualified"));
    }

    @Test
    void aJobPausedMidwayResumesFromItsCheckpointWithoutResendingAnItem() throws Exception {
        String path = SourceStubs.path("long");
        int pages = 30;
        for (int page = 1; page <= pages + 1; page++) {
            stubs.server.stubFor(get(urlPathEqualTo(path)).withQueryParam("page", equalTo("" + page))
                    .willReturn(okJson(SourceStubs.page(page, page > pages ? 0 : 10, null)).withFixedDelay(40)));
        }
        String job = job(source("api", stubs.config(path, "{\"type\":\"page\",\"page_size\":10}"), null), null);
        fixtures.act(ACME, job, "start").statusCode(200);
        fixtures.awaitBatches(job, 10);
        fixtures.act(ACME, job, "pause").statusCode(200).body("status", org.hamcrest.Matchers.equalTo("paused"));
        long readAtPause = fixtures.view(ACME, job).getLong("records_read");
        assertTrue(readAtPause < pages * 10, "paused midway, after " + readAtPause);
        Await.until("the batches committed before the pause are published", Duration.ofSeconds(30),
                () -> fixtures.batches(job).stream().mapToLong(batch -> batch.records().size()).sum() == fixtures
                        .view(ACME, job).getLong("records_read"));

        fixtures.act(ACME, job, "resume").statusCode(200).body("status", org.hamcrest.Matchers.equalTo("running"));
        List<ScrapedRecordsEvent> batches = fixtures.awaitBatches(job, pages * 10);
        fixtures.answer(ACME, job, record -> null);
        fixtures.awaitStatus(ACME, job, "completed");
        batches = fixtures.batches(job);
        long[] seqs = seqs(batches);
        assertTrue(java.util.Arrays.equals(LongStream.rangeClosed(1, pages * 10).toArray(), seqs),
                "each item exactly once across the pause (paused after " + readAtPause + ")");
        assertTrue(java.util.Arrays.equals(LongStream.rangeClosed(1, batches.size()).toArray(),
                batches.stream().mapToLong(ScrapedRecordsEvent::batchSeq).toArray()), "batches without gaps");
        assertEquals(pages * 10, fixtures.view(ACME, job).getLong("records_qualified"));
    }

    private static long[] seqs(List<ScrapedRecordsEvent> batches) {
        return batches.stream().flatMap(batch -> batch.records().stream()).mapToLong(ScrapedRecord::seq).toArray();
    }

    private static String source(String type, String config, String credentials) {
        return given().auth().oauth2(JobFixtures.token(ACME)).contentType(ContentType.JSON)
                .body("{\"name\":\"" + type + " " + java.util.UUID.randomUUID() + "\",\"type\":\"" + type
                        + "\",\"config\":" + config + (credentials == null ? "" : ",\"credentials\":" + credentials)
                        + "}")
                .post("/api/v1/data-sources").then().statusCode(201).extract().path("id");
    }

    private static String job(String source, String criteria) {
        return given().auth().oauth2(JobFixtures.token(ACME)).contentType(ContentType.JSON)
                .body("{\"data_source_id\":\"" + source + "\"" + (criteria == null ? "" : ",\"search_criteria\":"
                        + criteria) + "}")
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
    }
}
