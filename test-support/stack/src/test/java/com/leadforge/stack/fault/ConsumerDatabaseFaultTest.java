package com.leadforge.stack.fault;

import static com.leadforge.stack.fault.EventBackbone.seconds;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.leadforge.stack.RunningStack;
import com.leadforge.stack.Stack;
import com.leadforge.stack.StackFaults.RepeatedTermination;
import com.leadforge.stack.fault.LeadForgeApi.Overview;

/**
 * A consuming service's database drops every connection every 0.3 s while events flow to it. A dropped connection
 * is a transient failure: the consumer must retry (forever), never dead-letter, so every event is applied exactly
 * once once the database is stable again — for each consumer: analytics' overview, campaign-service's counters and
 * lead-service's campaign replica.
 */
@ExtendWith(RunningStack.class)
class ConsumerDatabaseFaultTest {

    static final Duration INTERVAL = Duration.ofMillis(300);
    static final Duration FLOWING = Duration.ofSeconds(8);
    static EventBackbone backbone;

    @BeforeAll
    static void connect(Stack stack) {
        backbone = new EventBackbone(stack);
    }

    @AfterAll
    static void disconnect() {
        backbone.close();
    }

    @Test
    void analyticsAppliesEveryLeadEventWhileItsDatabaseDropsConnections() {
        LeadForgeApi api = backbone.api;
        String campaign = api.createCampaign("analytics db fault");
        backbone.awaitQuiet();
        Overview before = api.overview();
        leadsUnderFault("analytics.overview", "analytics", campaign, () -> api.overview().minus(before).total());
    }

    @Test
    void campaignCountersApplyEveryLeadEventWhileTheirDatabaseDropsConnections() {
        LeadForgeApi api = backbone.api;
        String campaign = api.createCampaign("campaign db fault");
        backbone.awaitQuiet();
        leadsUnderFault("campaign.counters", "campaigns", campaign, () -> api.counters(campaign).leads());
    }

    @Test
    void leadServiceReplicatesEveryCampaignWhileItsDatabaseDropsConnections() {
        LeadForgeApi api = backbone.api;
        backbone.awaitQuiet();
        Map<String, Long> deadLettersBefore = backbone.deadLetterEnds();
        List<String> campaigns = new ArrayList<>();
        RepeatedTermination terminations;
        try (PacedWriter writer = new PacedWriter(() -> {
            try {
                return api.createCampaign("replica db fault");
            } catch (IllegalStateException refused) {
                return null;
            }
        }, 5, 2)) {
            try (RepeatedTermination fault = backbone.faults.terminateConnectionsEvery("leads", INTERVAL)) {
                terminations = fault;
                writer.writeFor(FLOWING);
            }
            campaigns.addAll(writer.acknowledged());
        }
        long faultOver = System.nanoTime();
        String ids = String.join(",", campaigns);
        LongSupplier replicated = () -> backbone.faults.count("leads",
                "select count(*) from campaign_replica where id::text = any(string_to_array(?, ','))", ids);
        report("lead.campaign-replica", "leads", terminations, campaigns.size(), replicated, faultOver,
                deadLettersBefore, "campaigns created, replicated");
    }

    /** Leads written into {@code campaign} while {@code database}'s connections are terminated; then the effects. */
    private void leadsUnderFault(String consumer, String database, String campaign, LongSupplier applied) {
        LeadForgeApi api = backbone.api;
        Map<String, Long> deadLettersBefore = backbone.deadLetterEnds();
        List<String> leads = new ArrayList<>();
        leads.add(api.awaitCampaignAcceptsLeads(campaign));
        RepeatedTermination terminations;
        try (PacedWriter writer = PacedWriter.leads(api, campaign, 10, 2)) {
            try (RepeatedTermination fault = backbone.faults.terminateConnectionsEvery(database, INTERVAL)) {
                terminations = fault;
                writer.writeFor(FLOWING);
            }
            leads.addAll(writer.acknowledged());
        }
        report(consumer, database, terminations, leads.size(), applied, System.nanoTime(), deadLettersBefore,
                "2xx lead writes, applied");
    }

    private void report(String consumer, String database, RepeatedTermination terminations, int written,
            LongSupplier applied, long faultOver, Map<String, Long> deadLettersBefore, String what) {
        boolean caughtUp = EventBackbone.within(consumer + " applied every event", EventBackbone.EFFECTS_TIMEOUT,
                () -> applied.getAsLong() >= written);
        double catchUp = seconds(System.nanoTime() - faultOver);
        backbone.settled(Duration.ofSeconds(30));
        long effects = applied.getAsLong();
        long deadLetters = backbone.deadLettersSince(deadLettersBefore);
        System.out.printf("ConsumerDatabaseFaultTest[%s]: %d rounds terminated %d connections of db %s over %.1f s, "
                + "%d %s %d/%d, DLQ +%d, %s after the last termination%n", consumer, terminations.rounds(),
                terminations.terminated(), database, seconds(FLOWING.toNanos()), written, what, effects, written,
                deadLetters, (caughtUp ? "caught up %.1f s" : "NOT caught up within %.1f s").formatted(catchUp));

        assertTrue(terminations.terminated() > 0, "the fault never hit a connection of " + database);
        assertTrue(written > 1, "nothing was written while the fault was on");
        assertAll(
                () -> assertEquals(written, effects, consumer + ": every event applied exactly once (0 lost)"),
                () -> assertEquals(0, deadLetters, consumer + ": a dropped connection is transient, never poison"));
    }
}
