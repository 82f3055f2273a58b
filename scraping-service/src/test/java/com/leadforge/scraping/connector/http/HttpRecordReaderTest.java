package com.leadforge.scraping.connector.http;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.leadforge.scraping.connector.ConnectorException;
import com.leadforge.scraping.connector.JobSource;
import com.leadforge.scraping.connector.ReadBatch;
import com.leadforge.scraping.connector.RecordReader;
import com.leadforge.scraping.datasource.DataSourceType;
import com.leadforge.shared.events.ScrapedRecord;

/**
 * The HTTP reader against a stubbed API, without the service around it: auth headers, each paging style read once
 * and stopped, retries (429 with Retry-After, 503, timeouts) and what is not retried (401), malformed pages, rejected
 * items, the circuit breaker, checkpoints that resume mid-page, and Apollo's shape. Request counts are WireMock's.
 */
class HttpRecordReaderTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpTuning TUNING = new HttpTuning(Duration.ofSeconds(1), Duration.ofSeconds(1), 5,
            Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(1500), Duration.ofMillis(3500),
            1024 * 1024, Duration.ofSeconds(2), true);

    static SourceStubs stubs;
    static SourceHttp http;

    @BeforeAll
    static void start() {
        stubs = new SourceStubs();
        http = new SourceHttp(TUNING, new CircuitBreakers(5, Duration.ofSeconds(30), java.time.Clock.systemUTC()));
        // The first request of a fresh server and client is slow (class loading): not what the tests time.
        stubs.server.stubFor(get(urlPathEqualTo("/warm-up")).willReturn(okJson("{}")));
        http.fetch(UUID.randomUUID(), new SourceRequest("GET", java.net.URI.create(stubs.base() + "/warm-up"),
                Map.of(), null), "the warm-up", Duration.ofSeconds(30), true);
    }

    @AfterAll
    static void stop() {
        stubs.close();
    }

    @Test
    void eachCredentialTypeSendsItsHeaderAndNoCredentialsSendNone() throws Exception {
        String path = SourceStubs.path("auth");
        stubs.server.stubFor(get(urlPathEqualTo(path)).willReturn(okJson(SourceStubs.page(1, 1, null))));
        String config = stubs.config(path, null);

        drain(reader(config, "{\"type\":\"bearer\",\"token\":\"tok-123\"}", null), 10);
        drain(reader(config, "{\"type\":\"api_key\",\"header\":\"X-Partner-Key\",\"value\":\"key-456\"}", null), 10);
        drain(reader(config, "{\"type\":\"api_key\",\"value\":\"key-789\"}", null), 10);
        drain(reader(config, "{\"type\":\"basic\",\"username\":\"robot\",\"password\":\"pw:secret\"}", null), 10);
        drain(reader(config, null, null), 10);

        var requests = stubs.requests(path);
        assertEquals(5, requests.size());
        assertEquals("Bearer tok-123", requests.get(0).getHeader("Authorization"));
        assertEquals("key-456", requests.get(1).getHeader("X-Partner-Key"));
        assertFalse(requests.get(1).containsHeader("Authorization"));
        assertEquals("key-789", requests.get(2).getHeader("X-Api-Key"));
        assertEquals("Basic " + Base64.getEncoder().encodeToString("robot:pw:secret".getBytes(StandardCharsets.UTF_8)),
                requests.get(3).getHeader("Authorization"));
        assertFalse(requests.get(4).containsHeader("Authorization"));
        assertFalse(requests.get(4).containsHeader("X-Api-Key"));

        ConnectorException wrong = assertThrows(ConnectorException.class,
                () -> reader(config, "{\"type\":\"oauth\",\"token\":\"tok-secret-999\"}", null));
        assertTrue(wrong.getMessage().contains("credentials.type"), wrong.getMessage());
        ConnectorException missing = assertThrows(ConnectorException.class,
                () -> reader(config, "{\"type\":\"basic\",\"username\":\"robot-secret-999\"}", null));
        assertTrue(missing.getMessage().contains("credentials.password"), missing.getMessage());
        assertFalse(missing.getMessage().contains("secret-999"), "a credential value in a message");
    }

    @Test
    void pagePagingReadsEveryItemOnceInBatchesThatEndMidPageAndStopsAtTheEmptyPage() throws Exception {
        String path = SourceStubs.path("pages");
        for (int page = 1; page <= 3; page++) {
            stubs.server.stubFor(get(urlPathEqualTo(path)).withQueryParam("page", equalTo("" + page))
                    .withQueryParam("size", equalTo("3")).withQueryParam("region", equalTo("eu"))
                    .willReturn(okJson(SourceStubs.page(page, 3, null))));
        }
        stubs.server.stubFor(get(urlPathEqualTo(path)).withQueryParam("page", equalTo("4"))
                .willReturn(okJson(SourceStubs.page(4, 0, null))));
        RecordReader reader = reader(stubs.config(path, "{\"type\":\"page\",\"size_param\":\"size\",\"page_size\":3}"),
                null, "{\"region\":\"eu\"}", Map.of());

        Drained read = drain(reader, 2);
        assertSeqs(9, read.records());
        assertEquals(SourceStubs.email(1, 1), read.records().get(0).email());
        assertEquals("Ann1_1", read.records().get(0).firstName());
        assertEquals("Org 1", read.records().get(0).company());
        assertEquals(1, read.records().get(0).metadata().get("rank"));
        assertEquals(SourceStubs.email(3, 3), read.records().get(8).email());
        assertEquals(Map.of("page", 1L, "consumed", 2, "seq", 2L, "pages_done", 0L),
                read.batches().get(0).checkpoint(), "the first batch ends two items into page 1");
        assertEquals(Map.of("page", 2L, "consumed", 0, "seq", 3L, "pages_done", 1L),
                read.batches().get(1).checkpoint(), "the second ends with page 1 (a batch never spans two pages)");
        assertEquals(List.of(2, 1, 2, 1, 2, 1, 0), read.batches().stream().map(ReadBatch::size).toList());
        for (int page = 1; page <= 4; page++) {
            assertEquals(1, stubs.server.countRequestsMatching(getRequestedFor(urlPathEqualTo(path))
                    .withQueryParam("page", equalTo("" + page)).build()).getCount(), "page " + page);
        }
        assertEquals(4, stubs.count(path));
    }

    @Test
    void offsetPagingAdvancesByWhatItGotAndStopsAtTheTotalWithoutAnotherRequest() throws Exception {
        String path = SourceStubs.path("offsets");
        int[][] pages = { { 0, 4 }, { 4, 4 }, { 8, 2 } };
        for (int[] page : pages) {
            stubs.server.stubFor(get(urlPathEqualTo(path)).withQueryParam("from", equalTo("" + page[0]))
                    .withQueryParam("limit", equalTo("4"))
                    .willReturn(okJson(SourceStubs.page(page[0], page[1], "{\"total\":10}"))));
        }
        RecordReader reader = reader(stubs.config(path, "{\"type\":\"offset\",\"offset_param\":\"from\","
                + "\"page_size\":4,\"total_pointer\":\"/meta/total\"}"), null, null, Map.of());
        Drained read = drain(reader, 100);
        assertSeqs(10, read.records());
        assertEquals(3, stubs.count(path), "no request after the total was reached");
        assertEquals(1.0, read.batches().get(read.batches().size() - 1).fractionRead());
        assertEquals(0.4, read.batches().get(0).fractionRead(), 1e-9, "4 of 10 items");
    }

    @Test
    void cursorPagingFollowsTheNextCursorUntilThereIsNone() throws Exception {
        String path = SourceStubs.path("cursor");
        stubs.server.stubFor(get(urlPathEqualTo(path)).withQueryParam("after", absent())
                .willReturn(okJson(SourceStubs.page(1, 2, "{\"next\":\"c2\"}"))));
        stubs.server.stubFor(get(urlPathEqualTo(path)).withQueryParam("after", equalTo("c2"))
                .willReturn(okJson(SourceStubs.page(2, 2, "{\"next\":\"c3\"}"))));
        stubs.server.stubFor(get(urlPathEqualTo(path)).withQueryParam("after", equalTo("c3"))
                .willReturn(okJson(SourceStubs.page(3, 1, "{\"next\":null}"))));
        String paging = "{\"type\":\"cursor\",\"cursor_param\":\"after\",\"cursor_pointer\":\"/meta/next\"}";
        Drained read = drain(reader(stubs.config(path, paging), null, null, Map.of()), 3);
        assertSeqs(5, read.records());
        assertEquals(SourceStubs.email(3, 1), read.records().get(4).email());
        assertEquals(3, stubs.count(path));

        // Resumed from a checkpoint in the middle of the second page: the rest, nothing twice.
        Drained rest = drain(reader(stubs.config(path, paging), null, null,
                Map.of("cursor", "c2", "consumed", 1, "seq", 3, "pages_done", 1)), 10);
        assertEquals(List.of(4L, 5L), rest.records().stream().map(ScrapedRecord::seq).toList());
        assertEquals(SourceStubs.email(2, 2), rest.records().get(0).email());
    }

    @Test
    void aReaderResumedFromAnyCheckpointSendsEachItemExactlyOnce() throws Exception {
        String path = SourceStubs.path("resume");
        for (int page = 1; page <= 4; page++) {
            stubs.server.stubFor(get(urlPathEqualTo(path)).withQueryParam("page", equalTo("" + page))
                    .willReturn(okJson(SourceStubs.page(page, page == 4 ? 0 : 5, null))));
        }
        String config = stubs.config(path, "{\"type\":\"page\",\"page_size\":5}");
        // A worker that stops after every batch (pause, restart): each new reader starts at the last checkpoint.
        for (int batch : new int[] { 1, 2, 3, 5, 7 }) {
            List<ScrapedRecord> all = new ArrayList<>();
            Map<String, Object> checkpoint = Map.of();
            boolean exhausted = false;
            for (int readers = 0; !exhausted && readers < 50; readers++) {
                ReadBatch next = reader(config, null, null, roundTrip(checkpoint)).next(batch);
                all.addAll(next.records());
                checkpoint = next.checkpoint();
                exhausted = next.exhausted();
            }
            assertTrue(exhausted);
            assertSeqs(15, all);
            for (int i = 0; i < 15; i++) {
                assertEquals(SourceStubs.email(i / 5 + 1, i % 5 + 1), all.get(i).email(), "batch size " + batch);
            }
        }
    }

    @Test
    void a429WithRetryAfterIsWaitedForThenRead() throws Exception {
        String path = SourceStubs.path("retry-after");
        stubs.server.stubFor(get(urlPathEqualTo(path)).inScenario(path).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("ok"));
        stubs.server.stubFor(get(urlPathEqualTo(path)).inScenario(path).whenScenarioStateIs("ok")
                .willReturn(okJson(SourceStubs.page(1, 2, null))));
        Drained read = drain(reader(stubs.config(path, null), null, null, Map.of()), 10);
        assertSeqs(2, read.records());
        var requests = stubs.requests(path);
        assertEquals(2, requests.size());
        long gap = requests.get(1).getLoggedDate().getTime() - requests.get(0).getLoggedDate().getTime();
        assertTrue(gap >= 900, "waited " + gap + " ms, Retry-After said 1 s (the backoff alone is under 50 ms)");
    }

    @Test
    void a503IsRetriedWithBackoff() throws Exception {
        String path = SourceStubs.path("unavailable");
        stubs.server.stubFor(get(urlPathEqualTo(path)).inScenario(path).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("again"));
        stubs.server.stubFor(get(urlPathEqualTo(path)).inScenario(path).whenScenarioStateIs("again")
                .willReturn(aResponse().withStatus(502)).willSetStateTo("ok"));
        stubs.server.stubFor(get(urlPathEqualTo(path)).inScenario(path).whenScenarioStateIs("ok")
                .willReturn(okJson(SourceStubs.page(1, 3, null))));
        assertSeqs(3, drain(reader(stubs.config(path, null), null, null, Map.of()), 10).records());
        assertEquals(3, stubs.count(path));
    }

    @Test
    void aSourceSlowerThanTheRequestTimeoutIsRetriedThenFailsNamingTheTimeout() {
        String path = SourceStubs.path("slow");
        stubs.server.stubFor(get(urlPathEqualTo(path)).willReturn(okJson(SourceStubs.page(1, 1, null))
                .withFixedDelay(2500)));
        RecordReader reader = reader(stubs.config(path, null), null, null, Map.of());
        ConnectorException failure = assertThrows(ConnectorException.class, () -> reader.next(10));
        assertTrue(failure.getMessage().startsWith("The page: no answer within"), failure.getMessage());
        assertTrue(failure.getMessage().contains("time budget of 3.5 s"), failure.getMessage());
        assertTrue(stubs.count(path) >= 2, "retried: " + stubs.count(path) + " request(s)");
        assertTrue(stubs.count(path) <= 5, "bounded: " + stubs.count(path) + " request(s)");
    }

    @Test
    void refusedCredentialsFailAtOnceWithoutRetries() {
        for (int status : new int[] { 401, 403 }) {
            String path = SourceStubs.path("refused");
            stubs.server.stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withStatus(status)
                    .withBody("{\"error\":\"bad token tok-secret-1\"}")));
            RecordReader reader = reader(stubs.config(path, "{\"type\":\"page\"}"),
                    "{\"type\":\"bearer\",\"token\":\"tok-secret-1\"}", null, Map.of());
            ConnectorException failure = assertThrows(ConnectorException.class, () -> reader.next(10));
            assertEquals("Page 1: credentials refused (HTTP " + status + "); check the data source's credentials",
                    failure.getMessage());
            assertEquals(1, stubs.count(path), () -> stubs.requests(path).stream()
                    .map(r -> r.getLoggedDate().getTime() + " " + r.getMethod() + " " + r.getUrl()).toList().toString());
        }
    }

    @Test
    void aMalformedPageFailsNamingThePage() {
        String path = SourceStubs.path("malformed");
        stubs.server.stubFor(get(urlPathEqualTo(path)).withQueryParam("page", equalTo("1"))
                .willReturn(okJson(SourceStubs.page(1, 2, null))));
        stubs.server.stubFor(get(urlPathEqualTo(path)).withQueryParam("page", equalTo("2"))
                .willReturn(aResponse().withStatus(200).withBody("<html>maintenance</html>")));
        stubs.server.stubFor(get(urlPathEqualTo(path)).withQueryParam("page", equalTo("3"))
                .willReturn(okJson("{\"items\":[]}")));
        stubs.server.stubFor(get(urlPathEqualTo(path)).withQueryParam("page", equalTo("4"))
                .willReturn(okJson("{\"data\":{\"email\":\"x@example.com\"}}")));
        String config = stubs.config(path, "{\"type\":\"page\",\"page_size\":2}");
        RecordReader reader = reader(config, null, null, Map.of());
        assertEquals(2, reader.next(10).records().size());
        ConnectorException notJson = assertThrows(ConnectorException.class, () -> reader.next(10));
        assertTrue(notJson.getMessage().startsWith("Page 2 of the source is not valid JSON"), notJson.getMessage());

        ConnectorException missing = assertThrows(ConnectorException.class,
                () -> reader(config, null, null, Map.of("page", 3, "seq", 4)).next(10));
        assertEquals("Page 3 of the source is malformed: it has nothing at the records pointer '/data'",
                missing.getMessage());
        ConnectorException notArray = assertThrows(ConnectorException.class,
                () -> reader(config, null, null, Map.of("page", 4, "seq", 4)).next(10));
        assertEquals("Page 4 of the source is malformed: the records pointer '/data' names object, not an array",
                notArray.getMessage());
    }

    @Test
    void itemsThatAreNotObjectsOrHaveNoMappedFieldIsRejectedAndCountedNotFatal() throws Exception {
        String path = SourceStubs.path("items");
        stubs.server.stubFor(get(urlPathEqualTo(path)).willReturn(okJson("{\"data\":[" + SourceStubs.person(1, 1)
                + ",\"just text\",{\"nickname\":\"nobody\"},null," + SourceStubs.person(1, 5) + "]}")));
        Drained read = drain(reader(stubs.config(path, null), null, null, Map.of()), 10);
        assertEquals(List.of(1L, 5L), read.records().stream().map(ScrapedRecord::seq).toList());
        assertEquals(List.of(2L, 3L, 4L), read.rejected().stream().map(ReadBatch.Rejection::seq).toList());
        assertEquals(List.of("not_an_object", "no_mapped_fields", "not_an_object"),
                read.rejected().stream().map(ReadBatch.Rejection::reason).toList());
        assertEquals("item 2 of the page is string, not an object", read.rejected().get(0).detail());
    }

    @Test
    void theCircuitBreakerOpensAfterFiveFailedRequestsAndThenFailsWithoutCalling() {
        String path = SourceStubs.path("down");
        stubs.server.stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withStatus(503)));
        UUID source = UUID.randomUUID();
        String config = stubs.config(path, null);
        ConnectorException first = assertThrows(ConnectorException.class,
                () -> reader(source, config, null, null, Map.of(), Map.of()).next(10));
        assertEquals("The page: the source answered HTTP 503, still after 5 attempts", first.getMessage());
        assertEquals(5, stubs.count(path));
        ConnectorException second = assertThrows(ConnectorException.class,
                () -> reader(source, config, null, null, Map.of(), Map.of()).next(10));
        assertTrue(second.getMessage().contains("circuit breaker open"), second.getMessage());
        assertEquals(5, stubs.count(path), "an open breaker does not call the source");
        // Another data source on the same host has a breaker of its own.
        assertThrows(ConnectorException.class, () -> reader(config, null, null, Map.of()).next(10));
        assertEquals(10, stubs.count(path));
    }

    @Test
    void maxPagesBoundsAnEndlessSource() throws Exception {
        String path = SourceStubs.path("endless");
        stubs.server.stubFor(get(urlPathEqualTo(path)).willReturn(okJson(SourceStubs.page(1, 2, null))));
        Drained read = drain(reader(stubs.config(path, "{\"type\":\"page\",\"page_size\":2}")
                .replace("\"records_pointer\"", "\"max_pages\":3,\"records_pointer\""), null, null, Map.of()), 100);
        assertSeqs(6, read.records());
        assertEquals(3, stubs.count(path));
        // A job's config may lower it.
        String lowered = SourceStubs.path("endless");
        stubs.server.stubFor(get(urlPathEqualTo(lowered)).willReturn(okJson(SourceStubs.page(1, 2, null))));
        drain(reader(UUID.randomUUID(), stubs.config(lowered, "{\"type\":\"page\",\"page_size\":2}"), null, null,
                Map.of(), Map.of("max_pages", 1)), 100);
        assertEquals(1, stubs.count(lowered));
    }

    @Test
    void apolloPeopleSearchReadsTenPagesWithExactSequenceNumbersThroughA429() throws Exception {
        String base = stubs.base() + SourceStubs.path("apollo");
        String path = java.net.URI.create(base).getPath() + ApolloConnector.SEARCH_PATH;
        stubs.apollo(java.net.URI.create(base).getPath(), 10, 25, 4);
        RecordReader reader = new ApolloConnector(http).open(new JobSource(UUID.randomUUID(), "agency",
                UUID.randomUUID(), DataSourceType.APOLLO, map("{\"base_url\":\"" + base + "\",\"per_page\":25}"),
                Map.of("api_key", "apollo-key-123456789"), map("{\"person_titles\":[\"cto\"],\"q_keywords\":\"saas\"}"),
                Map.of(), Map.of(), null));
        Drained read = drain(reader, 500);
        assertSeqs(250, read.records());
        assertEquals(11, stubs.count(path), "ten pages and the one 429");
        assertEquals(0.5, read.batches().get(4).fractionRead(), 1e-9, "page 5 of 10");
        ScrapedRecord first = read.records().get(0);
        assertEquals("Ann", first.firstName());
        assertEquals("P1-1", first.lastName());
        assertEquals("ann.1-1@example.com", first.email());
        assertEquals("CTO", first.title());
        assertEquals("Org 1", first.company());
        assertEquals("+14155551001", first.phone());
        assertEquals("http://www.linkedin.com/in/ann-1-1", first.linkedinUrl());
        assertEquals("ap1-1", first.metadata().get("apollo_id"));
        assertNull(read.records().get(2).phone(), "no phone numbers");
        assertNull(read.records().get(4).email(), "a locked e-mail is no address");
        assertEquals("Zed", read.records().get(6).firstName(), "split from name");
        assertEquals("Person1-7", read.records().get(6).lastName());
        var body = JSON.readTree(stubs.requests(path).get(0).getBodyAsString());
        assertEquals(1, body.get("page").asInt());
        assertEquals(25, body.get("per_page").asInt());
        assertEquals("saas", body.get("q_keywords").asText());
        assertEquals("cto", body.get("person_titles").get(0).asText());
    }

    // ---- helpers

    record Drained(List<ScrapedRecord> records, List<ReadBatch.Rejection> rejected, List<ReadBatch> batches) {
    }

    static Drained drain(RecordReader reader, int batchSize) {
        List<ScrapedRecord> records = new ArrayList<>();
        List<ReadBatch.Rejection> rejected = new ArrayList<>();
        List<ReadBatch> batches = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            ReadBatch batch = reader.next(batchSize);
            assertTrue(batch.size() <= batchSize);
            batches.add(batch);
            records.addAll(batch.records());
            rejected.addAll(batch.rejected());
            if (batch.exhausted()) {
                return new Drained(records, rejected, batches);
            }
        }
        throw new AssertionError("the reader never ended");
    }

    static void assertSeqs(int count, List<ScrapedRecord> records) {
        assertEquals(LongStream.rangeClosed(1, count).boxed().toList(),
                records.stream().map(ScrapedRecord::seq).toList(), "every item once, in order");
    }

    RecordReader reader(String config, String credentials, String criteria) throws Exception {
        return reader(config, credentials, criteria, Map.of());
    }

    RecordReader reader(String config, String credentials, String criteria, Map<String, Object> checkpoint) {
        return reader(UUID.randomUUID(), config, credentials, criteria, checkpoint, Map.of());
    }

    RecordReader reader(UUID source, String config, String credentials, String criteria,
            Map<String, Object> checkpoint, Map<String, Object> jobConfig) {
        HttpConnector connector = new HttpConnector(http);
        Map<String, Object> sourceConfig = map(config);
        connector.validateSourceConfig(DataSourceType.API, sourceConfig);
        return connector.open(new JobSource(UUID.randomUUID(), "agency", source, DataSourceType.API, sourceConfig,
                credentials == null ? Map.of() : map(credentials), criteria == null ? Map.of() : map(criteria),
                jobConfig, checkpoint, null));
    }

    /** As the checkpoint comes back from the database: JSON numbers, not the reader's own objects. */
    static Map<String, Object> roundTrip(Map<String, Object> checkpoint) throws Exception {
        return map(JSON.writeValueAsString(checkpoint));
    }

    static Map<String, Object> map(String json) {
        try {
            return JSON.readValue(json, new TypeReference<Map<String, Object>>() {
            });
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
