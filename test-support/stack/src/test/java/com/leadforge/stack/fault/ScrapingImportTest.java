package com.leadforge.stack.fault;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadforge.stack.RunningStack;
import com.leadforge.stack.Stack;
import com.leadforge.stack.StackFaults.Fault;
import com.leadforge.stack.fault.LeadForgeApi.Response;
import com.leadforge.testsupport.Await;

/**
 * A CSV import through the front door with every real part: the file goes through the gateway to scraping-service,
 * its records as events to lead-service, which creates the leads (campaign counters and analytics follow their
 * events) and reports each batch back. Counts are exact: in the file, duplicates of the agency's leads (also across
 * two jobs) and invalid rows are reported, never imported; a {@code kill -9} of scraping-service or lead-service in
 * the middle of a job loses no record and imports none twice.
 */
@ExtendWith(RunningStack.class)
class ScrapingImportTest {

    static EventBackbone backbone;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void connect(Stack stack) {
        backbone = new EventBackbone(stack);
    }

    @AfterAll
    static void disconnect() {
        backbone.close();
    }

    /** A file of {@code rows} rows: every 10th repeats the email of the row before it, every 50th has a bad email. */
    record CsvFile(String text, int rows, int duplicates, int invalid) {
        int unique() {
            return rows - duplicates - invalid;
        }
    }

    static CsvFile file(int rows) {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        StringBuilder csv = new StringBuilder("First Name,Last Name,Email,Company,Job Title\n");
        int duplicates = 0;
        int invalid = 0;
        for (int row = 1; row <= rows; row++) {
            String email;
            if (row % 50 == 0) {
                email = "not-an-email-" + row;
                invalid++;
            } else if (row % 10 == 0) {
                email = "import-" + tag + "-" + (row - 1) + "@example.com";
                duplicates++;
            } else {
                email = "import-" + tag + "-" + row + "@example.com";
            }
            csv.append("Ada").append(row).append(",Import,").append(email).append(",Imports Ltd,Buyer\n");
        }
        return new CsvFile(csv.toString(), rows, duplicates, invalid);
    }

    @Test
    void aCsvFileBecomesLeadsWithExactCountsAndASecondImportOfItOnlyFindsDuplicates() {
        LeadForgeApi api = backbone.api;
        String campaign = api.createCampaign("csv import");
        api.awaitCampaignAcceptsLeads(campaign);
        long leadsBefore = api.leadsInCampaign(campaign);
        CsvFile csv = file(1_200);

        JsonNode first = runJob(api, campaign, csv, null);
        assertAll(
                () -> assertEquals(csv.rows(), first.path("records_processed").asLong(), "every row answered for"),
                () -> assertEquals(csv.unique(), first.path("records_qualified").asLong(), "imported"),
                () -> assertEquals(csv.duplicates(), first.path("records_duplicate").asLong(), "duplicates in the file"),
                () -> assertEquals(csv.invalid(), first.path("records_rejected").asLong(), "invalid emails"),
                () -> assertEquals(csv.unique(), api.leadsInCampaign(campaign) - leadsBefore, "leads in the campaign"));
        awaitCounters(api, campaign);

        JsonNode second = runJob(api, campaign, csv, null);
        assertAll(
                () -> assertEquals(0, second.path("records_qualified").asLong(), "nothing new the second time"),
                () -> assertEquals(csv.unique() + csv.duplicates(), second.path("records_duplicate").asLong()),
                () -> assertEquals(csv.invalid(), second.path("records_rejected").asLong()),
                () -> assertEquals(csv.unique(), api.leadsInCampaign(campaign) - leadsBefore, "no lead twice"));
        System.out.printf("ScrapingImportTest: %d rows -> %d imported, %d duplicates, %d rejected; again -> %d "
                + "imported, %d duplicates%n", csv.rows(), first.path("records_qualified").asLong(),
                first.path("records_duplicate").asLong(), first.path("records_rejected").asLong(),
                second.path("records_qualified").asLong(), second.path("records_duplicate").asLong());
    }

    @Test
    void scrapingServiceKilledMidJobResumesFromItsCheckpoint() {
        killedMidJob("scraping-service");
    }

    @Test
    void leadServiceKilledMidImportImportsEveryRecordOnce() {
        killedMidJob("lead-service");
    }

    private void killedMidJob(String victim) {
        LeadForgeApi api = backbone.api;
        String campaign = api.createCampaign("import kill -9 " + victim);
        api.awaitCampaignAcceptsLeads(campaign);
        long leadsBefore = api.leadsInCampaign(campaign);
        Map<String, Long> deadLettersBefore = backbone.deadLetterEnds();
        CsvFile csv = file(6_000);
        long[] atKill = new long[2];
        JsonNode job = runJob(api, campaign, csv, id -> {
            // Kill once the job is under way but far from done.
            Await.until("job " + id + " under way", Duration.ofSeconds(60), () -> {
                JsonNode view = job(api, id);
                atKill[0] = view.path("records_read").asLong();
                atKill[1] = view.path("records_processed").asLong();
                return atKill[0] >= 1_000;
            });
            try (Fault killed = backbone.faults.killService(victim)) {
                // Restarted (same ports) when the fault closes.
            }
        });
        long deadLetters = backbone.deadLettersSince(deadLettersBefore);
        long leads = api.leadsInCampaign(campaign) - leadsBefore;
        System.out.printf("ScrapingImportTest[kill -9 %s]: killed at %d read / %d answered of %d rows; job %s: "
                + "%d read, %d answered, %d imported, %d duplicates, %d rejected; %d leads in the campaign; DLQ +%d%n",
                victim, atKill[0], atKill[1], csv.rows(), job.path("status").asText(),
                job.path("records_read").asLong(), job.path("records_processed").asLong(),
                job.path("records_qualified").asLong(), job.path("records_duplicate").asLong(),
                job.path("records_rejected").asLong(), leads, deadLetters);
        assertAll(
                () -> assertTrue(atKill[0] < csv.rows(), "killed before the whole file was read"),
                () -> assertEquals(csv.rows(), job.path("records_read").asLong(), "each row read once"),
                () -> assertEquals(csv.rows(), job.path("records_processed").asLong(), "each row answered once"),
                () -> assertEquals(csv.unique(), job.path("records_qualified").asLong()),
                () -> assertEquals(csv.duplicates(), job.path("records_duplicate").asLong()),
                () -> assertEquals(csv.invalid(), job.path("records_rejected").asLong()),
                () -> assertEquals(csv.unique(), leads, "no lead lost, none twice"),
                () -> assertEquals(0, deadLetters, "nothing dead-lettered"));
        awaitCounters(api, campaign);
    }

    /** Creates, uploads, starts (running {@code whileRunning} once started) and awaits completion; the job's view. */
    private JsonNode runJob(LeadForgeApi api, String campaign, CsvFile csv,
            java.util.function.Consumer<String> whileRunning) {
        Stack stack = api.stack();
        Response source = api.call("POST", stack.gatewayUrl() + "/api/v1/data-sources", LeadForgeApi.WRITER,
                "{\"name\":\"Import " + UUID.randomUUID() + "\",\"type\":\"csv\"}");
        assertEquals(201, source.status(), source.body());
        String[] id = new String[1];
        // scraping-service learns the campaign from its event: accepted once it has.
        Await.until("scraping-service accepts a job into campaign " + campaign, Duration.ofSeconds(60), () -> {
            Response created = api.call("POST", stack.gatewayUrl() + "/api/v1/jobs", LeadForgeApi.WRITER,
                    "{\"data_source_id\":\"" + source.json().path("id").asText() + "\",\"campaign_id\":\"" + campaign
                            + "\"}");
            id[0] = created.status() == 201 ? created.json().path("id").asText() : null;
            return id[0] != null;
        });
        upload(api, id[0], csv.text());
        Response started = api.call("POST", stack.gatewayUrl() + "/api/v1/jobs/" + id[0] + "/start",
                LeadForgeApi.WRITER, null);
        assertEquals(200, started.status(), started.body());
        if (whileRunning != null) {
            whileRunning.accept(id[0]);
        }
        JsonNode[] view = new JsonNode[1];
        Await.until("job " + id[0] + " completed", Duration.ofSeconds(180), () -> {
            view[0] = job(api, id[0]);
            return "completed".equals(view[0].path("status").asText())
                    || "failed".equals(view[0].path("status").asText());
        }, () -> "; job: " + view[0]);
        assertEquals("completed", view[0].path("status").asText(), view[0].toString());
        return view[0];
    }

    private static JsonNode job(LeadForgeApi api, String id) {
        Response response = api.call("GET", api.stack().gatewayUrl() + "/api/v1/jobs/" + id, LeadForgeApi.WRITER,
                null);
        if (response.status() != 200) {
            // The gateway answers 502/503 while scraping-service restarts: not the job's state.
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("status",
                    "unknown (" + response.status() + ")");
        }
        return response.json();
    }

    private static void upload(LeadForgeApi api, String jobId, String csv) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.stack().gatewayUrl() + "/api/v1/jobs/" + jobId
                + "/file")).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + api.token(LeadForgeApi.WRITER))
                .header("Content-Type", "text/csv")
                .PUT(HttpRequest.BodyPublishers.ofString(csv)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException("Upload failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    /** Campaign counters and analytics follow the lead.created events of the imported leads. */
    private static void awaitCounters(LeadForgeApi api, String campaign) {
        long leads = api.leadsInCampaign(campaign);
        // Every imported lead is one lead.created event the counters apply one by one: thousands take a while.
        Await.until("campaign counters = leads", Duration.ofSeconds(240),
                () -> api.counters(campaign).leads() == leads, () -> "; counters " + api.counters(campaign)
                        + ", leads " + leads);
    }
}
