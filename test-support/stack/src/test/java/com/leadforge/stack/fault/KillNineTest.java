package com.leadforge.stack.fault;

import static com.leadforge.stack.fault.EventBackbone.LEAD_EVENTS;
import static com.leadforge.stack.fault.EventBackbone.seconds;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.leadforge.stack.RunningStack;
import com.leadforge.stack.Stack;
import com.leadforge.stack.StackFaults.Fault;
import com.leadforge.stack.fault.EventBackbone.CreatedEvents;
import com.leadforge.stack.fault.LeadForgeApi.Counters;
import com.leadforge.stack.fault.LeadForgeApi.Overview;
import com.leadforge.testsupport.Await;

/**
 * {@code kill -9} in the middle of the work — lead-service while it takes writes (and relays its outbox),
 * analytics-service while it consumes — then a restart. Every acknowledged write exists, its events are delivered,
 * and no effect is applied twice although the killed process could neither finish nor commit what it was doing.
 */
@ExtendWith(RunningStack.class)
class KillNineTest {

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
    void leadServiceKilledMidWritesLosesNoAcknowledgedLeadAndDuplicatesNoEffect() {
        killedMidFlow("lead-service");
    }

    @Test
    void analyticsKilledMidConsumptionAppliesEveryEventOnce() {
        killedMidFlow("analytics-service");
    }

    private void killedMidFlow(String victim) {
        LeadForgeApi api = backbone.api;
        String campaign = api.createCampaign("kill -9 " + victim);
        backbone.awaitQuiet();
        Overview before = api.overview();
        Map<String, Long> deadLettersBefore = backbone.deadLetterEnds();
        Map<TopicPartition, Long> from = backbone.kafka.endOffsets(LEAD_EVENTS);

        List<String> acknowledged = new ArrayList<>();
        acknowledged.add(api.awaitCampaignAcceptsLeads(campaign));
        int refused;
        int beforeKill;
        int whileDown;
        double downFor;
        try (PacedWriter writer = PacedWriter.leads(api, campaign, 10, 4).start()) {
            // Kill once the victim is busy: lead-service has taken writes, analytics has applied some of them.
            Await.until(victim + " busy", Duration.ofSeconds(60), () -> writer.acknowledgedCount() >= 20
                    && ("lead-service".equals(victim) || api.overview().minus(before).total() >= 10));
            beforeKill = writer.acknowledgedCount();
            long killedAt = System.nanoTime();
            try (Fault killed = backbone.faults.killService(victim)) {
                // Down until writes have moved on without it: refused ones (lead-service) or 20 more (analytics).
                Await.until("writes while " + victim + " is down", Duration.ofSeconds(60),
                        () -> "lead-service".equals(victim) ? writer.refused() >= 5
                                : writer.acknowledgedCount() >= beforeKill + 20);
                whileDown = writer.acknowledgedCount() - beforeKill;
            }
            downFor = seconds(System.nanoTime() - killedAt);
            int afterRestart = writer.acknowledgedCount();
            Await.until("writes after " + victim + " restarted", Duration.ofSeconds(90),
                    () -> writer.acknowledgedCount() >= afterRestart + 10);
            writer.stop();
            acknowledged.addAll(writer.acknowledged());
            refused = writer.refused();
        }

        int writes = acknowledged.size();
        long missing = acknowledged.stream().filter(id -> api.leadStatus(id) != 200).count();
        long stored = api.leadsInCampaign(campaign);
        boolean caughtUp = EventBackbone.within("every stored lead counted", EventBackbone.EFFECTS_TIMEOUT,
                () -> api.overview().minus(before).total() >= stored && api.counters(campaign).leads() >= stored);
        boolean settled = backbone.settled(Duration.ofSeconds(30));
        Overview effects = api.overview().minus(before);
        Counters counters = api.counters(campaign);
        CreatedEvents events = backbone.createdEvents(from, acknowledged);
        long deadLetters = backbone.deadLettersSince(deadLettersBefore);
        System.out.printf("KillNineTest[%s]: killed after %d acknowledged writes, down %.1f s (%d acknowledged "
                + "meanwhile), 2xx writes %d, refused %d, missing %d, stored %d, effects %d/%d analytics (%d/%d created "
                + "in range), %d/%d campaign counters, created events %d distinct ce_id for %d/%d leads (%d records), "
                + "DLQ +%d%s%s%n", victim, beforeKill, downFor, whileDown, writes, refused, missing, stored,
                effects.total(), stored, effects.createdInRange(), stored, counters.leads(), stored,
                events.distinctIds(), events.distinctLeads(), writes, events.records(), deadLetters,
                caughtUp ? "" : ", NOT caught up", settled ? "" : ", consumers still lagging");

        assertAll(
                () -> assertEquals(0, missing, "every acknowledged lead exists"),
                () -> assertTrue(stored >= writes, "lead-service holds at least the acknowledged leads"),
                () -> assertEquals(stored, effects.total(), "analytics leads.total delta = leads stored (no loss, "
                        + "no duplicate)"),
                () -> assertEquals(stored, effects.createdInRange(), "analytics trends.leads delta = leads stored"),
                () -> assertEquals(stored, counters.leads(), "campaign leads_count = leads stored"),
                () -> assertEquals(writes, events.distinctLeads(), "a lead.created event for every acknowledged lead"),
                () -> assertEquals(writes, events.distinctIds(), "one lead.created id per acknowledged lead"),
                () -> assertEquals(0, deadLetters, "nothing dead-lettered"));
    }
}
