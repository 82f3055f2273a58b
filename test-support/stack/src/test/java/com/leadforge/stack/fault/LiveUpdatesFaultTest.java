package com.leadforge.stack.fault;

import static com.leadforge.stack.fault.EventBackbone.LEAD_EVENTS;
import static com.leadforge.stack.fault.EventBackbone.seconds;
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
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.leadforge.stack.RunningStack;
import com.leadforge.stack.Stack;
import com.leadforge.stack.StackFaults.Fault;
import com.leadforge.stack.StackFaults.RepeatedTermination;
import com.leadforge.stack.StackKafka;
import com.leadforge.testsupport.Await;

/**
 * The live-updates consumer of analytics-service ({@code analytics.live}) under the four faults every event consumer
 * must survive. Its effects are notifications and the live stream's log: each acknowledged lead assignment (to a user
 * no other assignment names) owes exactly one notification to its assignee and exactly one {@code notification} row
 * in the stream log. Assignments flow through the gateway while analytics is killed with {@code kill -9}, while the
 * broker is frozen, and while analytics' database drops its connections; then every assignment event is delivered a
 * second time. Counted in analytics' database: none lost, none twice, nothing dead-lettered.
 */
@ExtendWith(RunningStack.class)
class LiveUpdatesFaultTest {

    static final String LIVE_CONSUMER = "analytics.live";
    static final Duration OUTAGE = Duration.ofSeconds(20);
    static final Duration TERMINATION_INTERVAL = Duration.ofMillis(700);
    /** Leads made before a fault, each assigned once while it lasts: enough for 5 a second throughout. */
    static final int LEADS = 150;
    /** A killed service's restart takes up to a minute on two busy cores, and assignments go on meanwhile. */
    static final int LEADS_ACROSS_A_RESTART = 450;

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
    void analyticsKilledMidConsumptionNotifiesEveryAssigneeOnce() {
        Assignments assignments = Assignments.prepare("kill -9", LEADS_ACROSS_A_RESTART);
        int beforeKill;
        int whileDown;
        try (PacedWriter writer = assignments.writer().start()) {
            // Kill once the live consumer is busy: it has notified some assignees already.
            Await.until("live consumer busy", Duration.ofSeconds(60),
                    () -> writer.acknowledgedCount() >= 10 && assignments.notifications(writer.acknowledged()) >= 5);
            beforeKill = writer.acknowledgedCount();
            try (Fault killed = backbone.faults.killService("analytics-service")) {
                Await.until("assignments while analytics is down", Duration.ofSeconds(60),
                        () -> writer.acknowledgedCount() >= beforeKill + 15);
                whileDown = writer.acknowledgedCount() - beforeKill;
            }
            int afterRestart = writer.acknowledgedCount();
            Await.until("assignments after analytics restarted", Duration.ofSeconds(90),
                    () -> writer.acknowledgedCount() >= afterRestart + 10);
            writer.stop();
            assignments.acknowledged(writer);
        }
        assignments.assertEachNotifiedOnce("killed after %d assignments, %d acknowledged while down"
                .formatted(beforeKill, whileDown));
    }

    @Test
    void brokerPausedThenEveryAssigneeNotifiedOnce() {
        Assignments assignments = Assignments.prepare("broker pause", LEADS);
        try (PacedWriter writer = assignments.writer()) {
            try (Fault paused = backbone.faults.pauseBroker()) {
                writer.writeFor(OUTAGE);
            }
            assignments.acknowledged(writer);
        }
        assignments.assertEachNotifiedOnce("broker paused %.0f s".formatted(seconds(OUTAGE.toNanos())));
    }

    @Test
    void analyticsDatabaseDroppingConnectionsLosesAndDuplicatesNoNotification() {
        Assignments assignments = Assignments.prepare("db connections", LEADS);
        RepeatedTermination terminations;
        try (PacedWriter writer = assignments.writer()) {
            try (RepeatedTermination fault = backbone.faults.terminateConnectionsEvery("analytics",
                    TERMINATION_INTERVAL)) {
                terminations = fault;
                writer.writeFor(OUTAGE);
            }
            assignments.acknowledged(writer);
        }
        assertTrue(terminations.terminated() > 0, "the fault never hit a connection of analytics' database");
        assignments.assertEachNotifiedOnce("%d rounds terminated %d connections".formatted(terminations.rounds(),
                terminations.terminated()));
    }

    @Test
    void assignmentEventsDeliveredTwiceNotifyNobodyAgain() {
        Assignments assignments = Assignments.prepare("redelivery", LEADS);
        try (PacedWriter writer = assignments.writer()) {
            writer.writeFor(Duration.ofSeconds(6));
            assignments.acknowledged(writer);
        }
        assignments.assertEachNotifiedOnce("original delivery");

        Set<String> leads = new HashSet<>(assignments.leads);
        List<ConsumerRecord<String, String>> slice = new ArrayList<>(backbone.kafka.readFrom(LEAD_EVENTS,
                assignments.from).stream().filter(record -> leads.contains(record.key())
                        && "leadforge.lead.assigned.v1".equals(StackKafka.header(record, "ce_type"))).toList());
        Collections.reverse(slice);
        backbone.republish(slice);
        assertTrue(slice.size() >= assignments.assignees.size(), "every assignment's event is on the topic");
        assignments.assertEachNotifiedOnce("%d assignment events re-published newest first".formatted(slice.size()));
    }

    /** A fresh campaign's leads, each assigned at most once to a user of its own; what was acknowledged; the counts. */
    private static final class Assignments {

        final String purpose;
        final List<String> leads = new ArrayList<>();
        final List<String> assignees = new ArrayList<>();
        final AtomicInteger next = new AtomicInteger();
        final String prefix = "live-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        Map<String, Long> deadLettersBefore;
        Map<TopicPartition, Long> from;
        long startedAt;

        private Assignments(String purpose) {
            this.purpose = purpose;
        }

        static Assignments prepare(String purpose, int leadCount) {
            LeadForgeApi api = backbone.api;
            Assignments assignments = new Assignments(purpose);
            String campaign = api.createCampaign("live updates " + purpose);
            assignments.leads.add(api.awaitCampaignAcceptsLeads(campaign));
            while (assignments.leads.size() < leadCount) {
                String id = api.createLead(campaign);
                assertTrue(id != null, "creating a lead failed");
                assignments.leads.add(id);
            }
            backbone.awaitQuiet();
            assignments.deadLettersBefore = backbone.deadLetterEnds();
            assignments.from = backbone.kafka.endOffsets(LEAD_EVENTS);
            assignments.startedAt = System.nanoTime();
            return assignments;
        }

        /** Assigns the next unassigned lead to a user of its own, 5 a second; a result is the assignee. */
        PacedWriter writer() {
            String gateway = backbone.stack.gatewayUrl() + "/api/v1/leads/";
            return new PacedWriter(() -> {
                int index = next.getAndIncrement();
                if (index >= leads.size()) {
                    return null;
                }
                String assignee = prefix + index;
                LeadForgeApi.Response answer = backbone.api.call("POST", gateway + leads.get(index) + "/assign",
                        LeadForgeApi.WRITER, "{\"user_id\":\"" + assignee + "\"}");
                return answer.status() == 200 ? assignee : null;
            }, 5, 2);
        }

        void acknowledged(PacedWriter writer) {
            assignees.addAll(writer.acknowledged());
        }

        long notifications(List<String> users) {
            return backbone.faults.count("analytics",
                    "select count(*) from notification where user_id = any(string_to_array(?, ','))",
                    String.join(",", users));
        }

        long distinctNotified(List<String> users) {
            return backbone.faults.count("analytics",
                    "select count(distinct user_id) from notification where user_id = any(string_to_array(?, ','))",
                    String.join(",", users));
        }

        long streamRows(List<String> users) {
            return backbone.faults.count("analytics", "select count(*) from stream_event where kind = "
                    + "'notification' and user_id = any(string_to_array(?, ','))", String.join(",", users));
        }

        /** Every assignee of this run, acknowledged or not: an unacknowledged one may still have committed. */
        List<String> everyAssigneeTried() {
            List<String> tried = new ArrayList<>();
            for (int i = 0; i < Math.min(next.get(), leads.size()); i++) {
                tried.add(prefix + i);
            }
            return tried;
        }

        void assertEachNotifiedOnce(String fault) {
            int acknowledged = assignees.size();
            List<String> tried = everyAssigneeTried();
            boolean caughtUp = EventBackbone.within(LIVE_CONSUMER + " notified every assignee",
                    EventBackbone.EFFECTS_TIMEOUT, () -> notifications(assignees) >= acknowledged
                            && streamRows(assignees) >= acknowledged);
            boolean settled = backbone.settled(Duration.ofSeconds(30));
            long notified = notifications(assignees);
            long distinct = distinctNotified(assignees);
            long streamed = streamRows(assignees);
            // An assignment whose answer was lost may have committed: it owes one notification too, never two.
            long notifiedOfTried = notifications(tried);
            long distinctOfTried = distinctNotified(tried);
            long deadLetters = backbone.deadLettersSince(deadLettersBefore);
            System.out.printf("LiveUpdatesFaultTest[%s]: %s; %d assignments acknowledged (%d tried), notifications "
                    + "%d (%d distinct assignees), stream rows %d, of all tried %d/%d distinct, DLQ +%d, %.1f s since "
                    + "the first assignment%s%s%n", purpose, fault, acknowledged, tried.size(), notified, distinct,
                    streamed, notifiedOfTried, distinctOfTried, deadLetters, seconds(System.nanoTime() - startedAt),
                    caughtUp ? "" : ", NOT caught up", settled ? "" : ", consumers still lagging");

            assertTrue(acknowledged > 1, "no assignment was acknowledged during the fault");
            // Counted only once every consumer is at the end of the topics: a redelivery not yet consumed proves nothing.
            assertTrue(settled, "consumers still lag 30 s after the effects were due");
            assertAll(
                    () -> assertEquals(acknowledged, notified, "one notification per acknowledged assignment"),
                    () -> assertEquals(acknowledged, distinct, "every acknowledged assignee notified"),
                    () -> assertEquals(acknowledged, streamed, "one stream row per acknowledged assignment"),
                    () -> assertEquals(distinctOfTried, notifiedOfTried, "no assignee notified twice"),
                    () -> assertEquals(0, deadLetters, "nothing dead-lettered"));
        }
    }
}
