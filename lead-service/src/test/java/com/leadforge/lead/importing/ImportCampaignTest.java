package com.leadforge.lead.importing;

import static com.leadforge.lead.LeadApi.ACME;
import static com.leadforge.lead.LeadApi.BEACON;
import static com.leadforge.lead.LeadApi.unique;
import static com.leadforge.lead.importing.ScrapedBatches.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.leadforge.lead.LeadApi;
import com.leadforge.lead.campaign.CampaignEvents;
import com.leadforge.shared.events.BatchImportedEvent;
import com.leadforge.shared.events.BatchImportedEvent.RecordOutcome;
import com.leadforge.shared.events.ScrapedRecord;
import com.leadforge.shared.inbox.ConsumerStates;
import com.leadforge.testsupport.Await;
import com.leadforge.testsupport.RealInfrastructure;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * An import may only fill a draft or active campaign of the event's agency. A campaign the replica knows as closed or
 * deleted rejects every record at once; one it has not seen yet holds the batch (retried) until it arrives, and one
 * that never arrives (here: another agency's) is refused after the grace ({@code leadforge.import.campaign-grace},
 * 10 s in tests).
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = {
        @ResourceArg(name = "database", value = "leads"),
        @ResourceArg(name = "topics", value = LeadApi.TEST_TOPICS) })
class ImportCampaignTest {

    @Inject
    ConsumerStates states;

    @Test
    void aClosedOrDeletedCampaignRejectsEveryRecord() {
        String u = unique();
        UUID paused = CampaignEvents.created(ACME, "active");
        CampaignEvents.statusChanged(ACME, paused, "active", "paused");
        UUID deleted = CampaignEvents.created(ACME, "draft");
        CampaignEvents.deleted(ACME, deleted, "draft");
        UUID pausedJob = UUID.randomUUID();
        UUID deletedJob = UUID.randomUUID();

        ScrapedBatches.publish(ScrapedBatches.batch(ACME, pausedJob, 1, "closed-" + u, paused, records(u, 3)));
        ScrapedBatches.publish(ScrapedBatches.batch(ACME, deletedJob, 1, "closed-" + u, deleted, records(u, 2)));

        assertAllRejected(ScrapedBatches.awaitResult(pausedJob, 1), 3);
        assertAllRejected(ScrapedBatches.awaitResult(deletedJob, 1), 2);
        ScrapedRecordImportTest.leadsBySource("closed-" + u, 0);
    }

    @Test
    void aBatchWaitsForACampaignNotSeenYetAndIsImportedOnceItArrives() {
        String u = unique();
        UUID campaign = UUID.randomUUID();
        UUID job = UUID.randomUUID();
        ScrapedBatches.publish(ScrapedBatches.batch(ACME, job, 1, "early-" + u, campaign, records(u, 3)));
        Await.until("the batch retried while its campaign is unknown", Duration.ofSeconds(30),
                () -> states.snapshot().values().stream().anyMatch(p -> RecordImporter.CONSUMER.equals(p.consumer())
                        && p.retrying() != null && p.retrying().lastError().contains(campaign.toString())));

        CampaignEvents.publishCreated(ACME, campaign, "active");
        BatchImportedEvent result = ScrapedBatches.awaitResult(job, 1);

        assertEquals(3, result.imported(), result.toString());
        assertEquals(List.of(), result.outcomes());
        ScrapedRecordImportTest.leadsBySource("early-" + u, 3).values()
                .forEach(lead -> assertEquals(campaign.toString(), lead.getString("campaign_id")));
    }

    @Test
    void aCampaignThatNeverArrivesIsRefusedAfterTheGrace() {
        String u = unique();
        UUID beacons = CampaignEvents.created(BEACON, "active");
        UUID job = UUID.randomUUID();
        long start = System.nanoTime();
        ScrapedBatches.publish(ScrapedBatches.batch(ACME, job, 1, "foreign-" + u, beacons, records(u, 2)));

        BatchImportedEvent result = ScrapedBatches.awaitResult(job, 1);

        assertAllRejected(result, 2);
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(10)) >= 0,
                "refused only after the grace");
        ScrapedRecordImportTest.leadsBySource("foreign-" + u, 0);
    }

    private static List<ScrapedRecord> records(String u, int count) {
        return java.util.stream.LongStream.rangeClosed(1, count)
                .mapToObj(seq -> record(seq, "C" + seq, "c%d.%s.%s@example.com".formatted(seq, u, unique())))
                .toList();
    }

    private static void assertAllRejected(BatchImportedEvent result, int count) {
        assertEquals(0, result.imported(), result.toString());
        assertEquals(0, result.duplicates(), result.toString());
        assertEquals(count, result.rejected(), result.toString());
        assertEquals(count, result.outcomes().size());
        for (RecordOutcome outcome : result.outcomes()) {
            assertEquals(BatchImportedEvent.REJECTED, outcome.outcome());
            assertEquals("campaign_not_open", outcome.reason());
            assertEquals("campaign_id", outcome.field());
        }
    }
}
