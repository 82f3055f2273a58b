package com.leadforge.scraping.job;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.leadforge.shared.events.BatchImportedEvent;
import com.leadforge.shared.events.ScrapedRecord;
import com.leadforge.shared.events.ScrapedRecordsEvent;
import com.leadforge.testsupport.Await;
import com.leadforge.testsupport.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A CSV job end to end on scraping-service's side: upload, start, the worker's batches on the real broker (each record
 * once, in order, with its stable sequence number), lead-service's answers turned into exact counts, completion.
 */
@QuarkusTest
class CsvImportTest {

    static final String ACME = TestTokens.AGENCY_ACME;
    static final String BEACON = TestTokens.AGENCY_BEACON;

    static {
        io.restassured.RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "leadforge.jobs.batch-size")
    int batchSize;

    @TestHTTPResource(value = "/", management = true)
    java.net.URL management;

    JobFixtures fixtures;

    /** leadforge_events_consumed_total of the import-results consumer with this outcome. */
    double consumed(String outcome) {
        // The management URL already ends in the root path (/q/): the metrics are at its host and port, /q/metrics.
        String metrics = given().baseUri("http://" + management.getHost() + ":" + management.getPort())
                .get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines()
                .filter(line -> line.startsWith("leadforge_events_consumed_total{")
                        && line.contains("consumer=\"scraping.import-results\"")
                        && line.contains("outcome=\"" + outcome + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
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
    void aCsvFileIsImportedInBatchesAndTheJobCompletesWithExactCounts() throws Exception {
        String campaign = fixtures.campaign(ACME, "active");
        String source = fixtures.csvSource(ACME);
        int rows = 2 * batchSize + 37;
        // Row 5 has one column too many: the reader rejects it itself; the others go to lead-service.
        String csv = JobFixtures.csv(rows).replace("Ann5,Lee,ann5@example.com,Acme,EU",
                "Ann5,Lee,ann5@example.com,Acme,EU,surplus");
        Await.until("campaign known", Duration.ofSeconds(30), () -> given().auth().oauth2(JobFixtures.token(ACME))
                .contentType(ContentType.JSON)
                .body("{\"data_source_id\":\"" + source + "\",\"campaign_id\":\"" + campaign + "\"}")
                .post("/api/v1/jobs").statusCode() == 201);
        String job = fixtures.job(ACME, source, campaign);
        fixtures.upload(ACME, job, csv);
        fixtures.act(ACME, job, "start").statusCode(200).body("status", equalTo("running"));

        List<ScrapedRecordsEvent> batches = fixtures.awaitBatches(job, rows - 1);
        assertEquals(3, batches.size(), "batches of " + batchSize);
        long[] seqs = batches.stream().flatMap(batch -> batch.records().stream()).mapToLong(ScrapedRecord::seq)
                .toArray();
        assertTrue(java.util.Arrays.equals(LongStream.rangeClosed(1, rows).filter(seq -> seq != 5).toArray(), seqs),
                "every record once, in file order, numbered by its row");
        ScrapedRecordsEvent first = batches.get(0);
        assertEquals(1, first.batchSeq());
        assertEquals(UUID.fromString(campaign), first.campaignId());
        assertEquals("csv", first.sourceType());
        ScrapedRecord ann1 = first.records().get(0);
        assertEquals("Ann1", ann1.firstName());
        assertEquals("Lee", ann1.lastName());
        assertEquals("ann1@example.com", ann1.email());
        assertEquals("Acme", ann1.company());
        assertNull(ann1.phone());
        assertEquals("EU", ann1.metadata().get("Region"), "unmapped columns go to metadata");

        // lead-service's answers: every 10th record a duplicate, record 7 rejected.
        fixtures.answer(ACME, job, record -> record.seq() == 7
                ? new BatchImportedEvent.RecordOutcome(7, BatchImportedEvent.REJECTED, null, "email", "invalid_email")
                : record.seq() % 10 == 0
                        ? new BatchImportedEvent.RecordOutcome(record.seq(), BatchImportedEvent.DUPLICATE,
                                UUID.randomUUID(), "email", null)
                        : null);
        fixtures.awaitStatus(ACME, job, "completed");

        var view = fixtures.view(ACME, job);
        long duplicates = LongStream.rangeClosed(1, rows).filter(seq -> seq % 10 == 0).count();
        assertEquals(rows, view.getLong("records_read"));
        assertEquals(rows, view.getLong("records_processed"));
        assertEquals(duplicates, view.getLong("records_duplicate"));
        assertEquals(2, view.getLong("records_rejected"), "row 5 (reader) and record 7 (lead-service)");
        assertEquals(rows - duplicates - 2, view.getLong("records_qualified"));
        assertEquals(100, view.getInt("progress"));

        given().auth().oauth2(JobFixtures.token(ACME)).get("/api/v1/data-sources/" + source)
                .then().statusCode(200).body("total_jobs", equalTo(2)).body("successful_jobs", equalTo(1))
                .body("total_records_scraped", equalTo(rows));
        given().auth().oauth2(JobFixtures.token(ACME)).get("/api/v1/jobs/" + job + "/logs?level=warning&pageSize=100")
                .then().statusCode(200).body("meta.total", equalTo(2))
                .body("data[0].message", containsString("Record 5 rejected: column_count"))
                .body("data[1].message", containsString("Record 7 rejected: invalid_email"));

        // Every answer delivered again (same ce_id): applied once, the counts do not move.
        double before = consumed("duplicate");
        int redelivered = fixtures.redeliverAnswers();
        Await.until("redelivered answers consumed", Duration.ofSeconds(30),
                () -> consumed("duplicate") >= before + redelivered);
        var again = fixtures.view(ACME, job);
        assertEquals(rows, again.getLong("records_processed"));
        assertEquals(duplicates, again.getLong("records_duplicate"));
        assertEquals("completed", again.getString("status"));

        given().auth().oauth2(JobFixtures.token(BEACON)).get("/api/v1/jobs/" + job).then().statusCode(404);
    }

    @Test
    void aPausedJobResumesAfterItsLastSentBatchAndNeverSendsARecordTwice() throws Exception {
        String source = fixtures.csvSource(ACME);
        int rows = 20 * batchSize;
        String job = fixtures.job(ACME, source, null);
        fixtures.upload(ACME, job, JobFixtures.csv(rows));
        fixtures.act(ACME, job, "start").statusCode(200);
        fixtures.act(ACME, job, "pause").statusCode(200).body("status", equalTo("paused"));
        long readAtPause = fixtures.view(ACME, job).getLong("records_read");
        // Nothing is read while paused: the count stays where the last committed batch left it.
        List<ScrapedRecordsEvent> whilePaused = fixtures.batches(job);
        assertEquals(readAtPause, whilePaused.stream().mapToLong(batch -> batch.records().size()).sum());

        fixtures.act(ACME, job, "resume").statusCode(200).body("status", equalTo("running"));
        List<ScrapedRecordsEvent> batches = fixtures.awaitBatches(job, rows);
        long[] seqs = batches.stream().flatMap(batch -> batch.records().stream()).mapToLong(ScrapedRecord::seq)
                .sorted().toArray();
        assertTrue(java.util.Arrays.equals(LongStream.rangeClosed(1, rows).toArray(), seqs),
                "each record exactly once across the pause (paused after " + readAtPause + " records)");
        long[] batchSeqs = batches.stream().mapToLong(ScrapedRecordsEvent::batchSeq).toArray();
        assertTrue(java.util.Arrays.equals(LongStream.rangeClosed(1, batches.size()).toArray(), batchSeqs),
                "batches numbered without gaps or repeats");
        fixtures.answer(ACME, job, record -> null);
        fixtures.awaitStatus(ACME, job, "completed");
        assertEquals(rows, fixtures.view(ACME, job).getLong("records_qualified"));
    }

    @Test
    void aFileWhoseHeaderMapsNoLeadFieldFailsTheJobWithAClearError() throws Exception {
        String source = fixtures.csvSource(ACME);
        String job = fixtures.job(ACME, source, null);
        fixtures.upload(ACME, job, "colour,size\nred,XL\n");
        fixtures.act(ACME, job, "start").statusCode(200);
        fixtures.awaitStatus(ACME, job, "failed");
        var view = fixtures.view(ACME, job);
        assertEquals(1, view.getInt("error_count"));
        assertTrue(view.getString("errors[0].message").contains("No column of the header maps to a lead field"));
        given().auth().oauth2(JobFixtures.token(ACME)).get("/api/v1/data-sources/" + source)
                .then().body("failed_jobs", equalTo(1));
    }

    @Test
    void anExplicitMappingAndDelimiterAreHonoured() throws Exception {
        String source = fixtures.csvSource(ACME);
        String job = given().auth().oauth2(JobFixtures.token(ACME)).contentType(ContentType.JSON)
                .body("{\"data_source_id\":\"" + source + "\",\"config\":{\"delimiter\":\";\","
                        + "\"mapping\":{\"email\":\"Mail (work)\",\"company\":\"Org\"}}}")
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        fixtures.upload(ACME, job, "Mail (work);Org;Nick\nzoe@example.com;Zeta;Z\n");
        fixtures.act(ACME, job, "start").statusCode(200);
        ScrapedRecord zoe = fixtures.awaitBatches(job, 1).get(0).records().get(0);
        assertEquals("zoe@example.com", zoe.email());
        assertEquals("Zeta", zoe.company());
        assertEquals("Z", zoe.metadata().get("Nick"));

        given().auth().oauth2(JobFixtures.token(ACME)).contentType(ContentType.JSON)
                .body("{\"data_source_id\":\"" + source + "\",\"config\":{\"mapping\":{\"shoe_size\":\"S\"}}}")
                .post("/api/v1/jobs").then().statusCode(400)
                .body("errors[0].field", equalTo("config.mapping.shoe_size"));
    }

    @Test
    void uploadsAreBoundedAndOnlyForPendingCsvJobs() throws Exception {
        String source = fixtures.csvSource(ACME);
        String job = fixtures.job(ACME, source, null);
        fixtures.act(ACME, job, "start").statusCode(409).body("detail", containsString("needs its file"));
        given().auth().oauth2(JobFixtures.token(ACME)).contentType("text/csv").body(new byte[0])
                .put("/api/v1/jobs/" + job + "/file").then().statusCode(400);
        byte[] tooLarge = new byte[3 * 1024 * 1024];
        java.util.Arrays.fill(tooLarge, (byte) 'a');
        given().auth().oauth2(JobFixtures.token(ACME)).contentType("text/csv").body(tooLarge)
                .put("/api/v1/jobs/" + job + "/file").then().statusCode(413)
                .contentType("application/problem+json");
        fixtures.upload(ACME, job, JobFixtures.csv(3));
        given().auth().oauth2(JobFixtures.token(BEACON)).contentType("text/csv")
                .body("a\n".getBytes(StandardCharsets.UTF_8))
                .put("/api/v1/jobs/" + job + "/file").then().statusCode(404);
        fixtures.act(ACME, job, "start").statusCode(200);
        given().auth().oauth2(JobFixtures.token(ACME)).contentType("text/csv")
                .body("a\n".getBytes(StandardCharsets.UTF_8))
                .put("/api/v1/jobs/" + job + "/file").then().statusCode(409);
        // A JSON body above the JSON limit is still refused on other paths.
        given().auth().oauth2(JobFixtures.token(ACME)).contentType(ContentType.JSON).body(tooLarge)
                .post("/api/v1/jobs").then().statusCode(413);
    }
}
