package com.leadforge.lead.importing;

import static com.leadforge.lead.LeadApi.ACME;
import static com.leadforge.lead.LeadApi.BEACON;
import static com.leadforge.lead.LeadApi.as;
import static com.leadforge.lead.LeadApi.researcher;
import static com.leadforge.lead.LeadApi.unique;
import static com.leadforge.lead.importing.ScrapedBatches.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.leadforge.lead.LeadApi;
import com.leadforge.lead.campaign.CampaignEvents;
import com.leadforge.shared.events.BatchImportedEvent;
import com.leadforge.shared.events.BatchImportedEvent.RecordOutcome;
import com.leadforge.shared.events.CloudEventHeaders;
import com.leadforge.shared.events.EventJson;
import com.leadforge.shared.events.EventType;
import com.leadforge.shared.events.ScrapedRecord;
import com.leadforge.shared.events.ScrapedRecordsEvent;
import com.leadforge.shared.events.Topics;
import com.leadforge.testsupport.Await;
import com.leadforge.testsupport.RealInfrastructure;
import com.leadforge.testsupport.TopicProbe;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * A batch of scraped records published on the real broker becomes leads in lead-service exactly as POST /leads would
 * make them, with per-record outcomes (imported, duplicate, rejected) reported in one result event; the batch and each
 * record apply once however often they arrive, and nothing crosses agencies.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = {
        @ResourceArg(name = "database", value = "leads"),
        @ResourceArg(name = "topics", value = LeadApi.TEST_TOPICS) })
class ScrapedRecordImportTest {

    @Test
    void aBatchBecomesLeadsAndEveryRejectionAndDuplicateIsCounted() {
        String u = unique();
        String existing = LeadApi.create("{\"email\":\"exist.%s@example.com\"}".formatted(u));
        UUID campaign = CampaignEvents.created(ACME, "active");
        String source = "csv-" + u;
        String phone = ScrapedBatches.phone();
        UUID job = UUID.randomUUID();
        Map<String, Object> flat = new LinkedHashMap<>();
        flat.put("industry", "SaaS");
        flat.put("employees", 42);
        flat.put("public", true);
        flat.put("fax", null);
        Map<String, Object> wide = new LinkedHashMap<>();
        for (int i = 0; i < 51; i++) {
            wide.put("k" + i, i);
        }
        List<ScrapedRecord> records = List.of(
                new ScrapedRecord(1, "Ada", "Lovelace", "Ada.%s@Example.COM".formatted(u), phone, "Engines",
                        "CTO", "https://LinkedIn.com/in/Ada-%s/?trk=x".formatted(u), null),
                record(2, "Only", null),
                record(3, "Bad", "not-an-email"),
                record(4, "Bad", "nobody@localhost"),
                new ScrapedRecord(5, null, null, null, null, "Nameless Co", null, null, null),
                new ScrapedRecord(6, "Long", null, null, null, null, "x".repeat(201), null, null),
                record(7, "Twin", "EXIST.%s@example.com".formatted(u)),
                new ScrapedRecord(8, "Ada", "Again", null, null, null, null,
                        "https://www.linkedin.com/in/ada-%s".formatted(u), null),
                new ScrapedRecord(9, "Nested", null, "nested.%s@example.com".formatted(u), null, null, null, null,
                        Map.of("address", Map.of("city", "Paris"))),
                new ScrapedRecord(10, "Short", null, null, "12", null, null, null, null),
                new ScrapedRecord(11, "Meta", null, "meta.%s@example.com".formatted(u), null, null, null, null,
                        flat),
                record(12, "Last", "last.%s@example.com".formatted(u)),
                // Text PostgreSQL cannot store is the record's rejection, never a database error failing the batch.
                record(13, "Nul\u0000", "nul.%s@example.com".formatted(u)),
                new ScrapedRecord(14, "Wide", null, "wide.%s@example.com".formatted(u), null, null, null, null,
                        wide));

        ScrapedBatches.publish(ScrapedBatches.batch(ACME, job, 1, source, campaign, records));
        BatchImportedEvent result = ScrapedBatches.awaitResult(job, 1);

        assertEquals(job, result.jobId());
        assertEquals(ACME, result.agencyId());
        assertEquals(4, result.imported(), result.toString());
        assertEquals(2, result.duplicates(), result.toString());
        assertEquals(8, result.rejected(), result.toString());
        assertNotNull(result.importedAt());
        Map<Long, RecordOutcome> outcomes = bySeq(result);
        assertEquals(Set.of(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 13L, 14L), outcomes.keySet(), "only records not imported");
        assertRejected(outcomes.get(3L), "invalid_email", "email");
        assertRejected(outcomes.get(4L), "invalid_email", "email");
        assertRejected(outcomes.get(5L), "missing_identity", null);
        assertRejected(outcomes.get(6L), "too_long:title", "title");
        assertRejected(outcomes.get(9L), "invalid_metadata", "metadata.address");
        assertRejected(outcomes.get(10L), "invalid_phone", "phone");
        assertRejected(outcomes.get(13L), "unstorable_text:first_name", "first_name");
        assertRejected(outcomes.get(14L), "too_many_keys:metadata", "metadata");
        assertDuplicate(outcomes.get(7L), existing, "email");

        Map<String, JsonPath> leads = leadsBySource(source, 4);
        JsonPath ada = leads.get("ada." + u + "@example.com");
        assertNotNull(ada, "normalised like POST /leads: " + leads.keySet());
        assertEquals("https://www.linkedin.com/in/ada-" + u, ada.getString("linkedin_url"));
        assertTrue(ada.getString("phone").startsWith("+1646253"), ada.getString("phone"));
        assertDuplicate(outcomes.get(8L), ada.getString("id"), "linkedin_url");
        for (JsonPath lead : leads.values()) {
            assertEquals(campaign.toString(), lead.getString("campaign_id"));
            assertEquals(source, lead.getString("source"));
            assertEquals(ScrapedBatches.ACTOR, lead.getString("created_by"));
        }
        assertEquals(Map.of("industry", "SaaS", "employees", 42, "public", true),
                leads.get("meta." + u + "@example.com").getMap("metadata"), "null metadata values are left out");

        Map<String, JsonPath> created = leadCreatedEvents(leads.values().stream().map(l -> l.getString("id")).toList());
        for (JsonPath lead : leads.values()) {
            JsonPath event = created.get(lead.getString("id"));
            assertEquals(source, event.getString("source"));
            assertEquals(campaign.toString(), event.getString("campaign_id"));
            assertEquals(ScrapedBatches.ACTOR, event.getString("actor"));
            assertEquals(0, event.getInt("lead.version"));
        }
        researcher().get("/api/v1/leads/" + ada.getString("id") + "/activity").then().statusCode(200)
                .body("meta.total", org.hamcrest.Matchers.equalTo(1))
                .body("data[0].action", org.hamcrest.Matchers.equalTo("created"))
                .body("data[0].actor", org.hamcrest.Matchers.equalTo(ScrapedBatches.ACTOR))
                .body("data[0].changes.email.new", org.hamcrest.Matchers.equalTo("ada." + u + "@example.com"))
                .body("data[0].changes.details.import_job_id", org.hamcrest.Matchers.equalTo(job.toString()))
                .body("data[0].changes.details.import_record_seq", org.hamcrest.Matchers.equalTo(1));
    }

    @Test
    void aBatchEventDeliveredTwiceIsAppliedOnce() {
        String u = unique();
        String source = "twice-" + u;
        UUID job = UUID.randomUUID();
        ScrapedRecordsEvent first = ScrapedBatches.batch(ACME, job, 1, source, null, List.of(
                record(1, "One", "one.%s@example.com".formatted(u)),
                record(2, "Two", "two.%s@example.com".formatted(u)),
                record(3, "Bad", "bad")));
        String eventId = UUID.randomUUID().toString();
        ScrapedBatches.publish(EventJson.write(first), eventId, ACME, job);
        ScrapedBatches.publish(EventJson.write(first), eventId, ACME, job);
        // Same key, so the same partition: once batch 2's result is out, both deliveries of batch 1 were consumed.
        ScrapedBatches.publish(ScrapedBatches.batch(ACME, job, 2, source, null,
                List.of(record(4, "Four", "four.%s@example.com".formatted(u)))));
        ScrapedBatches.awaitResult(job, 2);

        List<BatchImportedEvent> results = ScrapedBatches.results(job);
        assertEquals(List.of(1L, 2L), results.stream().map(BatchImportedEvent::batchSeq).toList(),
                "one result per batch");
        assertEquals(2, results.get(0).imported());
        assertEquals(1, results.get(0).rejected());
        Map<String, JsonPath> leads = leadsBySource(source, 3);
        leadCreatedEvents(leads.values().stream().map(l -> l.getString("id")).toList());
    }

    @Test
    void recordsResentInANewBatchEventKeepTheirOutcomesAndMakeNoSecondLead() {
        String u = unique();
        String source = "resent-" + u;
        String existing = LeadApi.create("{\"email\":\"known.%s@example.com\"}".formatted(u));
        UUID job = UUID.randomUUID();
        List<ScrapedRecord> records = List.of(
                record(1, "Kept", "kept.%s@example.com".formatted(u)),
                record(2, "Twin", "known.%s@example.com".formatted(u)),
                record(3, "Bad", "bad"));
        ScrapedBatches.publish(ScrapedBatches.batch(ACME, job, 1, source, null, records));
        BatchImportedEvent first = ScrapedBatches.awaitResult(job, 1);
        Map<String, JsonPath> leads = leadsBySource(source, 1);

        // scraping-service re-sends the batch (a new event id) with one more record; record 1's content even changed.
        List<ScrapedRecord> resent = List.of(
                record(1, "Changed", "changed.%s@example.com".formatted(u)),
                record(2, "Twin", "known.%s@example.com".formatted(u)),
                record(3, "Bad", "bad"),
                record(4, "New", "new.%s@example.com".formatted(u)));
        ScrapedBatches.publish(ScrapedBatches.batch(ACME, job, 2, source, null, resent));
        BatchImportedEvent second = ScrapedBatches.awaitResult(job, 2);

        assertEquals(1, first.imported());
        assertEquals(2, second.imported(), "record 1 again (no new lead) and record 4");
        assertEquals(first.duplicates(), second.duplicates());
        assertEquals(first.rejected(), second.rejected());
        assertEquals(first.outcomes(), second.outcomes(), "the same outcomes, with the same lead ids");
        assertDuplicate(bySeq(second).get(2L), existing, "email");
        Map<String, JsonPath> after = leadsBySource(source, 2);
        assertTrue(after.keySet().containsAll(leads.keySet()), after.keySet().toString());
        assertTrue(after.containsKey("new." + u + "@example.com"), after.keySet().toString());
    }

    @Test
    void anotherAgencysLeadsAndRecordsNeverCountAndLeadsLandInTheEventsAgencyOnly() {
        String u = unique();
        String email = "shared.%s@example.com".formatted(u);
        String beaconLead = as(BEACON, "researcher").contentType(ContentType.JSON)
                .body("{\"email\":\"%s\"}".formatted(email)).post("/api/v1/leads")
                .then().statusCode(201).extract().path("id");
        // Even the same job id and seq in two agencies are two records: Acme's outcome is never Beacon's.
        UUID job = UUID.randomUUID();
        String source = "tenant-" + u;

        ScrapedBatches.publish(ScrapedBatches.batch(ACME, job, 1, source, null, List.of(record(1, "Acme", email))));
        BatchImportedEvent acme = ScrapedBatches.awaitResult(ACME, job, 1);
        ScrapedBatches.publish(ScrapedBatches.batch(BEACON, job, 1, source, null, List.of(record(1, "Beacon", email))));
        BatchImportedEvent beacon = ScrapedBatches.awaitResult(BEACON, job, 1);

        assertEquals(1, acme.imported(), "Beacon's lead is not Acme's duplicate: " + acme);
        assertEquals(1, beacon.duplicates(), beacon.toString());
        assertDuplicate(beacon.outcomes().get(0), beaconLead, "email");
        String acmeLead = leadsBySource(source, 1).get(email).getString("id");
        assertEquals(ACME, researcher().get("/api/v1/leads/" + acmeLead).then().statusCode(200)
                .extract().path("agency_id"));
        as(BEACON, "researcher").get("/api/v1/leads/" + acmeLead).then().statusCode(404);
        as(BEACON, "researcher").queryParam("source", source).get("/api/v1/leads").then().statusCode(200)
                .body("meta.total", org.hamcrest.Matchers.equalTo(0));
    }

    private static Map<Long, RecordOutcome> bySeq(BatchImportedEvent result) {
        return result.outcomes().stream().collect(Collectors.toMap(RecordOutcome::seq, Function.identity()));
    }

    private static void assertRejected(RecordOutcome outcome, String reason, String field) {
        assertEquals(BatchImportedEvent.REJECTED, outcome.outcome(), outcome.toString());
        assertEquals(reason, outcome.reason(), outcome.toString());
        assertEquals(field, outcome.field(), outcome.toString());
        assertEquals(null, outcome.leadId(), outcome.toString());
    }

    private static void assertDuplicate(RecordOutcome outcome, String leadId, String field) {
        assertEquals(BatchImportedEvent.DUPLICATE, outcome.outcome(), outcome.toString());
        assertEquals(leadId, String.valueOf(outcome.leadId()), outcome.toString());
        assertEquals(field, outcome.field(), outcome.toString());
    }

    /** Acme's live leads of {@code source}, by email (or id when they have none); exactly {@code count} of them. */
    static Map<String, JsonPath> leadsBySource(String source, int count) {
        JsonPath page = researcher().queryParam("source", source).queryParam("pageSize", 100)
                .get("/api/v1/leads").then().statusCode(200).extract().jsonPath();
        assertEquals(count, page.getInt("meta.total"), "leads of source " + source);
        Map<String, JsonPath> leads = new LinkedHashMap<>();
        List<Map<String, Object>> data = page.getList("data");
        for (Map<String, Object> lead : data) {
            JsonPath json = new JsonPath(EventJson.write(lead));
            leads.put(lead.get("email") != null ? (String) lead.get("email") : (String) lead.get("id"), json);
        }
        return leads;
    }

    /** The one lead.created event of each lead, read from the topic (fails on a second one). */
    private static Map<String, JsonPath> leadCreatedEvents(List<String> leadIds) {
        Set<String> ids = new HashSet<>(leadIds);
        try (TopicProbe probe = new TopicProbe(ScrapedBatches.bootstrap(), Topics.LEAD_EVENTS)) {
            java.util.function.Predicate<ConsumerRecord<String, String>> created = r -> ids.contains(r.key())
                    && EventType.LEAD_CREATED.type().equals(TopicProbe.header(r, CloudEventHeaders.TYPE));
            Await.until("lead.created of " + ids, Duration.ofSeconds(30),
                    () -> probe.seen(created).stream().map(ConsumerRecord::key).collect(Collectors.toSet())
                            .containsAll(ids));
            List<ConsumerRecord<String, String>> events = new ArrayList<>(probe.readToEnd(created,
                    Duration.ofSeconds(30)));
            assertEquals(ids.size(), events.size(), "exactly one lead.created per imported lead");
            Map<String, JsonPath> byLead = new LinkedHashMap<>();
            events.forEach(e -> byLead.put(e.key(), new JsonPath(e.value())));
            return byLead;
        }
    }
}
