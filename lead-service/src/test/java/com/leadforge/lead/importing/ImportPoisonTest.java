package com.leadforge.lead.importing;

import static com.leadforge.lead.LeadApi.ACME;
import static com.leadforge.lead.LeadApi.BEACON;
import static com.leadforge.lead.LeadApi.unique;
import static com.leadforge.lead.importing.ScrapedBatches.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.leadforge.lead.LeadApi;
import com.leadforge.shared.events.CloudEventHeaders;
import com.leadforge.shared.events.EventJson;
import com.leadforge.shared.events.ScrapedRecord;
import com.leadforge.shared.events.ScrapedRecordsEvent;
import com.leadforge.shared.events.Topics;
import com.leadforge.shared.inbox.DeadLetters;
import com.leadforge.testsupport.RealInfrastructure;
import com.leadforge.testsupport.TopicProbe;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A batch that breaks the contract (no job id, another agency in the data than in ce_agencyid, more than 1000
 * records, a record without a positive seq, a seq twice) can never be imported: it goes to the dead-letter topic with
 * its reason, creates nothing, and the job's next batch is imported as usual.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = {
        @ResourceArg(name = "database", value = "leads"),
        @ResourceArg(name = "topics", value = LeadApi.TEST_TOPICS) })
class ImportPoisonTest {

    @Test
    void contractBreakingBatchesAreDeadLetteredAndTheJobGoesOn() {
        String u = unique();
        String source = "poison-" + u;
        UUID job = UUID.randomUUID();
        List<ScrapedRecord> one = List.of(record(1, "P", "p.%s@example.com".formatted(u)));
        List<ScrapedRecord> tooMany = LongStream.rangeClosed(1, 1001)
                .mapToObj(seq -> record(seq, "M" + seq, null)).toList();
        Map<String, ScrapedRecordsEvent> poison = Map.of(
                "no job_id", new ScrapedRecordsEvent(null, ACME, null, source, null, 1, "a", one),
                "another agency", ScrapedBatches.batch(BEACON, job, 1, source, null, one),
                "more than 1000", ScrapedBatches.batch(ACME, job, 1, source, null, tooMany),
                "seq 0", ScrapedBatches.batch(ACME, job, 1, source, null, List.of(record(0, "Z", null))),
                "seq twice", ScrapedBatches.batch(ACME, job, 1, source, null,
                        List.of(record(1, "A", null), record(1, "B", null))));
        Map<String, String> eventIds = new java.util.HashMap<>();
        poison.forEach((what, batch) -> {
            String eventId = UUID.randomUUID().toString();
            eventIds.put(eventId, what);
            // Published under Acme whatever the data says: ce_agencyid is the only tenant a consumer believes.
            ScrapedBatches.publish(EventJson.write(batch), eventId, ACME, job);
        });
        ScrapedBatches.publish(ScrapedBatches.batch(ACME, job, 2, source, null,
                List.of(record(5, "Valid", "valid.%s@example.com".formatted(u)))));

        assertEquals(1, ScrapedBatches.awaitResult(job, 2).imported(), "the job's next batch is imported");
        List<ConsumerRecord<String, String>> dead;
        try (TopicProbe dlq = new TopicProbe(ScrapedBatches.bootstrap(), Topics.deadLetterOf(Topics.SCRAPING_EVENTS))) {
            dead = dlq.readToEnd(r -> eventIds.containsKey(TopicProbe.header(r, CloudEventHeaders.ID)),
                    Duration.ofSeconds(30));
        }
        Map<String, String> reasons = dead.stream().collect(Collectors.toMap(
                r -> eventIds.get(TopicProbe.header(r, CloudEventHeaders.ID)),
                r -> TopicProbe.header(r, DeadLetters.REASON)));
        System.out.printf("ImportPoisonTest: %d poison batches, %d dead-lettered: %s%n", poison.size(), dead.size(),
                reasons);
        assertEquals(poison.keySet(), reasons.keySet(), "every poison batch dead-lettered once");
        assertEquals(poison.size(), dead.size());
        dead.forEach(r -> assertEquals(RecordImporter.CONSUMER, TopicProbe.header(r, DeadLetters.CONSUMER)));
        assertTrue(reasons.get("no job_id").contains("no job_id"), reasons.toString());
        assertTrue(reasons.get("another agency").contains("another agency"), reasons.toString());
        assertTrue(reasons.get("more than 1000").contains("1001 records"), reasons.toString());
        assertTrue(reasons.get("seq 0").contains("positive seq"), reasons.toString());
        assertTrue(reasons.get("seq twice").contains("twice"), reasons.toString());
        assertEquals(1, ScrapedBatches.results(job).size(), "no result for a poison batch");
        ScrapedRecordImportTest.leadsBySource(source, 1);
    }
}
