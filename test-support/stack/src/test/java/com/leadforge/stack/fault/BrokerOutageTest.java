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

/**
 * The broker is frozen (SIGSTOP) for 30 s while clients keep creating leads: the API keeps accepting them (the
 * outbox decouples it from Kafka), and once the broker is back every acknowledged lead's event arrives and is
 * applied exactly once — analytics and the campaign counters equal the number of acknowledged creates, the topic
 * holds one {@code lead.created} id per lead, nothing is dead-lettered.
 */
@ExtendWith(RunningStack.class)
class BrokerOutageTest {

    static final Duration OUTAGE = Duration.ofSeconds(30);
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
    void everyLeadAcknowledgedWhileTheBrokerIsPausedIsAppliedExactlyOnce() {
        LeadForgeApi api = backbone.api;
        String campaign = api.createCampaign("broker outage");
        backbone.awaitQuiet();
        Overview before = api.overview();
        Map<String, Long> deadLettersBefore = backbone.deadLetterEnds();
        Map<TopicPartition, Long> from = backbone.kafka.endOffsets(LEAD_EVENTS);

        List<String> acknowledged = new ArrayList<>();
        acknowledged.add(api.awaitCampaignAcceptsLeads(campaign));
        int refused;
        long pausedAt;
        long resumedAt;
        try (PacedWriter writer = PacedWriter.leads(api, campaign, 10, 4)) {
            pausedAt = System.nanoTime();
            try (Fault paused = backbone.faults.pauseBroker()) {
                writer.writeFor(OUTAGE);
            }
            resumedAt = System.nanoTime();
            acknowledged.addAll(writer.acknowledged());
            refused = writer.refused();
        }

        int writes = acknowledged.size();
        boolean caughtUp = EventBackbone.within("every acknowledged lead counted", EventBackbone.EFFECTS_TIMEOUT,
                () -> api.overview().minus(before).total() >= writes && api.counters(campaign).leads() >= writes);
        double catchUp = seconds(System.nanoTime() - resumedAt);
        boolean settled = backbone.settled(Duration.ofSeconds(30));
        Overview effects = api.overview().minus(before);
        Counters counters = api.counters(campaign);
        CreatedEvents events = backbone.createdEvents(from, acknowledged);
        long deadLetters = backbone.deadLettersSince(deadLettersBefore);
        System.out.printf("BrokerOutageTest: paused %.1f s, 2xx writes %d, refused %d, effects %d/%d analytics "
                + "(%d/%d created in range), %d/%d campaign counters, created events %d distinct ce_id for %d/%d leads "
                + "(%d records), DLQ +%d, %s after resume%s%n", seconds(resumedAt - pausedAt), writes, refused, effects.total(), writes,
                effects.createdInRange(), writes, counters.leads(), writes, events.distinctIds(),
                events.distinctLeads(), writes, events.records(), deadLetters,
                (caughtUp ? "caught up %.1f s" : "NOT caught up within %.1f s").formatted(catchUp),
                settled ? "" : ", consumers still lagging");

        assertTrue(writes > 1, "no lead was acknowledged while the broker was paused");
        assertAll(
                () -> assertEquals(writes, effects.total(), "analytics leads.total delta = acknowledged creates"),
                () -> assertEquals(writes, effects.createdInRange(), "analytics trends.leads delta = acknowledged creates"),
                () -> assertEquals(writes, counters.leads(), "campaign leads_count = acknowledged creates"),
                () -> assertEquals(writes, events.distinctLeads(), "a lead.created event for every acknowledged lead"),
                () -> assertEquals(writes, events.distinctIds(), "one lead.created id per lead"),
                () -> assertEquals(0, deadLetters, "nothing dead-lettered"));
    }
}
