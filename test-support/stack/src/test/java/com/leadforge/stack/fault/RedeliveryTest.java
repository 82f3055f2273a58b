package com.leadforge.stack.fault;

import static com.leadforge.stack.fault.EventBackbone.LEAD_EVENTS;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.leadforge.stack.RunningStack;
import com.leadforge.stack.Stack;
import com.leadforge.stack.fault.LeadForgeApi.Counters;
import com.leadforge.stack.fault.LeadForgeApi.Overview;

/**
 * Every event of a campaign's leads delivered a second time, newest first: the records are re-published on their
 * partitions with the same key, value and headers (ce_id included), in reverse order — what a consumer sees after
 * a rewind, a producer retry or a replay. Analytics and the campaign counters must not move and stay exact.
 */
@ExtendWith(RunningStack.class)
class RedeliveryTest {

    static final int LEADS = 20;
    static final int QUALIFIED = 8;
    static final int CONTACTED = 6;
    static final int RESPONDED = 3;
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
    void eventsDeliveredTwiceAndOutOfOrderChangeNothing() throws Exception {
        LeadForgeApi api = backbone.api;
        String campaign = api.createCampaign("redelivery");
        backbone.awaitQuiet();
        Overview before = api.overview();
        Map<String, Long> deadLettersBefore = backbone.deadLetterEnds();
        Map<TopicPartition, Long> from = backbone.kafka.endOffsets(LEAD_EVENTS);

        // 20 leads; 8 qualified; 6 contacted, 3 of which responded later: several events per lead, each a newer version.
        List<String> leads = new ArrayList<>();
        leads.add(api.awaitCampaignAcceptsLeads(campaign));
        while (leads.size() < LEADS) {
            String id = api.createLead(campaign);
            assertTrue(id != null, "creating a lead failed");
            leads.add(id);
        }
        String gateway = backbone.stack.gatewayUrl() + "/api/v1/leads/";
        for (int i = 0; i < QUALIFIED; i++) {
            assertEquals(200, api.call("POST", gateway + leads.get(i) + "/qualify", LeadForgeApi.WRITER,
                    "{\"qualification_status\":\"qualified\"}").status(), "qualify");
        }
        for (int i = 0; i < CONTACTED; i++) {
            String lead = leads.get(LEADS - 1 - i);
            assertEquals(200, api.call("POST", gateway + lead + "/contact", LeadForgeApi.WRITER,
                    "{\"channel\":\"email\",\"outcome\":\"sent\"}").status(), "contact");
            if (i < RESPONDED) {
                assertEquals(200, api.call("POST", gateway + lead + "/contact", LeadForgeApi.WRITER,
                        "{\"channel\":\"email\",\"outcome\":\"responded\"}").status(), "contact (responded)");
            }
        }
        Overview expected = new Overview(LEADS, QUALIFIED, CONTACTED, RESPONDED, LEADS);
        Counters expectedCounters = new Counters(LEADS, QUALIFIED, CONTACTED, RESPONDED);
        boolean applied = EventBackbone.within("the original events applied", EventBackbone.EFFECTS_TIMEOUT,
                () -> api.overview().minus(before).equals(expected) && api.counters(campaign).equals(expectedCounters));
        backbone.awaitQuiet();
        Overview first = api.overview().minus(before);
        Counters firstCounters = api.counters(campaign);

        // The slice: every record of these leads since the test began, re-published newest first.
        Set<String> ours = new HashSet<>(leads);
        List<ConsumerRecord<String, String>> slice = new ArrayList<>(backbone.kafka.readFrom(LEAD_EVENTS, from)
                .stream().filter(record -> ours.contains(record.key())).toList());
        Collections.reverse(slice);
        backbone.republish(slice);
        backbone.awaitQuiet();
        Overview second = api.overview().minus(before);
        Counters secondCounters = api.counters(campaign);
        long deadLetters = backbone.deadLettersSince(deadLettersBefore);
        System.out.printf("RedeliveryTest: %d leads (%d qualified, %d contacted, %d responded), %d events re-published "
                + "in reverse order; analytics %s -> %s, campaign counters %s -> %s, expected %s, DLQ +%d%s%n", LEADS,
                QUALIFIED, CONTACTED, RESPONDED, slice.size(), first, second, firstCounters, secondCounters,
                expectedCounters, deadLetters, applied ? "" : ", originals NOT applied as expected");

        assertTrue(slice.size() >= LEADS + QUALIFIED + CONTACTED, "the slice holds every event of the leads");
        assertAll(
                () -> assertEquals(expected, first, "analytics exact after the original delivery"),
                () -> assertEquals(expectedCounters, firstCounters, "campaign counters exact after the original delivery"),
                () -> assertEquals(first, second, "analytics unchanged by the redelivery"),
                () -> assertEquals(firstCounters, secondCounters, "campaign counters unchanged by the redelivery"),
                () -> assertEquals(0, deadLetters, "a redelivered event is no poison"));
    }
}
