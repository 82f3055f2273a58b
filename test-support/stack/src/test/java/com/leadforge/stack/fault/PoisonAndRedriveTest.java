package com.leadforge.stack.fault;

import static com.leadforge.stack.fault.EventBackbone.CAMPAIGN_EVENTS;
import static com.leadforge.stack.fault.EventBackbone.LEAD_EVENTS;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadforge.stack.RunningStack;
import com.leadforge.stack.Stack;
import com.leadforge.stack.StackKafka;
import com.leadforge.stack.fault.LeadForgeApi.Overview;
import com.leadforge.stack.fault.LeadForgeApi.Response;

/**
 * Poison is dead-lettered with its reasons and does not stop consumption; a dead-lettered event that is valid after
 * all can be re-driven, once. The dead-letter contract: the record keeps key, value and every original header, plus
 * {@code leadforge-dlq-reason}, {@code -consumer}, {@code -original-topic}, {@code -original-partition},
 * {@code -original-offset} and {@code -failed-at}; {@code POST /admin/dead-letters/redrive} on a consuming service's
 * own port (super_admin) applies the records dead-lettered by its consumers through the normal idempotent consumer.
 */
@ExtendWith(RunningStack.class)
class PoisonAndRedriveTest {

    static final String LEAD_CONSUMERS_DLQ = LEAD_EVENTS + ".dlq";
    static final List<String> LEAD_EVENT_CONSUMERS = List.of("analytics.overview", "campaign.counters");
    static final String REDRIVE = "/admin/dead-letters/redrive";
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
    void poisonIsDeadLetteredWithItsReasonAndConsumptionGoesOn() throws Exception {
        LeadForgeApi api = backbone.api;
        String campaign = api.createCampaign("poison");
        backbone.awaitQuiet();
        Overview before = api.overview();
        Map<TopicPartition, Long> deadLettersFrom = backbone.kafka.endOffsets(LEAD_CONSUMERS_DLQ);
        List<String> good = new ArrayList<>();
        good.add(api.awaitCampaignAcceptsLeads(campaign));
        int partitions = backbone.kafka.endOffsets(LEAD_EVENTS).size();

        // Three kinds of poison on every partition. Each would count a lead in the campaign if a consumer took it.
        Map<String, ProducerRecord<String, String>> poison = new LinkedHashMap<>();
        Map<String, RecordMetadata> written = new LinkedHashMap<>();
        try (KafkaProducer<String, String> producer = backbone.kafka.producer()) {
            for (int partition = 0; partition < partitions; partition++) {
                String lead = UUID.randomUUID().toString();
                poison.put("missing ce_agencyid p" + partition, leadCreated(partition, lead, campaign,
                        "leadforge.lead.created.v1", createdData(lead, campaign), "ce_agencyid"));
                poison.put("unparseable data p" + partition, leadCreated(partition, UUID.randomUUID().toString(),
                        campaign, "leadforge.lead.created.v1", "{\"lead_id\": \"" + lead + "\", \"agency_", null));
                String future = UUID.randomUUID().toString();
                poison.put("unknown version v9 p" + partition, leadCreated(partition, future, campaign,
                        "leadforge.lead.created.v9", createdData(future, campaign), null));
            }
            for (Map.Entry<String, ProducerRecord<String, String>> record : poison.entrySet()) {
                written.put(record.getKey(), producer.send(record.getValue()).get());
            }
        }
        // Good leads after the poison, until every partition has had one after its poison.
        Set<Integer> covered = new HashSet<>();
        while (covered.size() < partitions && good.size() < 60) {
            String id = api.createLead(campaign);
            assertTrue(id != null, "creating a lead failed");
            good.add(id);
            covered.add(Utils.toPositive(Utils.murmur2(id.getBytes(UTF_8))) % partitions);
        }

        int leads = good.size();
        boolean applied = EventBackbone.within("the good leads after the poison applied", EventBackbone.EFFECTS_TIMEOUT,
                () -> api.overview().minus(before).total() >= leads && api.counters(campaign).leads() >= leads);
        boolean deadLettered = EventBackbone.within("every poison record dead-lettered by each consumer",
                EventBackbone.EFFECTS_TIMEOUT, () -> deadLetterEntries(deadLettersFrom, poison).size()
                        >= poison.size() * LEAD_EVENT_CONSUMERS.size());
        backbone.settled(java.time.Duration.ofSeconds(30));
        Overview effects = api.overview().minus(before);
        long counted = api.counters(campaign).leads();
        List<ConsumerRecord<String, String>> entries = backbone.kafka.readFrom(LEAD_CONSUMERS_DLQ, deadLettersFrom);
        Set<String> goodLeads = new HashSet<>(good);
        long goodDeadLettered = entries.stream().filter(r -> goodLeads.contains(r.key())).count();

        List<String> problems = new ArrayList<>();
        Map<String, Integer> perConsumer = new LinkedHashMap<>();
        for (Map.Entry<String, ProducerRecord<String, String>> kind : poison.entrySet()) {
            ProducerRecord<String, String> original = kind.getValue();
            RecordMetadata where = written.get(kind.getKey());
            String id = header(original, "ce_id");
            for (String consumer : LEAD_EVENT_CONSUMERS) {
                List<ConsumerRecord<String, String>> mine = entries.stream()
                        .filter(r -> id.equals(StackKafka.header(r, "ce_id"))
                                && consumer.equals(StackKafka.header(r, "leadforge-dlq-consumer")))
                        .toList();
                if (mine.isEmpty()) {
                    problems.add(kind.getKey() + ": not dead-lettered by " + consumer);
                    continue;
                }
                perConsumer.merge(consumer, 1, Integer::sum);
                ConsumerRecord<String, String> entry = mine.get(0);
                checkEntry(kind.getKey() + " (" + consumer + ")", original, where, entry, problems);
            }
        }
        System.out.printf("PoisonAndRedriveTest[poison]: %d poison records (3 kinds x %d partitions), dead-lettered "
                + "%s of %d each, %d problem(s), %d good leads after the poison: applied %d/%d analytics, %d/%d "
                + "campaign counters, good leads dead-lettered %d%s%s%n", poison.size(), partitions, perConsumer,
                poison.size(), problems.size(), leads, effects.total(), leads, counted, leads, goodDeadLettered,
                applied ? "" : ", good leads NOT all applied", deadLettered ? "" : ", poison NOT all dead-lettered");
        problems.forEach(problem -> System.out.println("  " + problem));

        assertAll(
                () -> assertEquals(List.of(), problems, "every poison record dead-lettered by each consumer, intact, "
                        + "with the dead-letter headers"),
                () -> assertEquals(leads, effects.total(), "analytics applied the good leads and nothing of the poison"),
                () -> assertEquals(leads, counted, "campaign counters applied the good leads and nothing of the poison"),
                () -> assertEquals(0, goodDeadLettered, "no good event dead-lettered"));
    }

    @Test
    void aDeadLetteredValidEventIsAppliedOnceByRedriveAndNeverAgain() throws Exception {
        LeadForgeApi api = backbone.api;
        Stack stack = backbone.stack;
        String campaign = api.createCampaign("redrive");
        String template = api.awaitCampaignAcceptsLeads(campaign);
        String templateCampaign = api.createCampaign("redrive template");
        backbone.awaitQuiet();

        // Flush whatever earlier tests (or an earlier consumer version) left on the dead-letter topics.
        Map<String, JsonNode> flush = redriveEverywhere(stack);
        Overview before = api.overview();
        long countedBefore = api.counters(campaign).leads();

        // Real events as lead-service and campaign-service wrote them, re-keyed to a lead and a campaign no consumer
        // has seen, dead-lettered by "an earlier consumer version" (lead-events.dlq: once for each of its consumers).
        ConsumerRecord<String, String> leadTemplate = firstRecord(LEAD_EVENTS, template, "leadforge.lead.created.v1");
        ConsumerRecord<String, String> campaignTemplate = firstRecord(CAMPAIGN_EVENTS, templateCampaign,
                "leadforge.campaign.created.v1");
        String lostLead = UUID.randomUUID().toString();
        String lostCampaign = UUID.randomUUID().toString();
        try (KafkaProducer<String, String> producer = backbone.kafka.producer()) {
            for (String consumer : LEAD_EVENT_CONSUMERS) {
                producer.send(deadLettered(leadTemplate, template, lostLead, consumer)).get();
            }
            producer.send(deadLettered(campaignTemplate, templateCampaign, lostCampaign, "lead.campaign-replica"))
                    .get();
        }
        String replicaCount = "select count(*) from campaign_replica where id::text = ?";

        Map<String, JsonNode> first = redriveEverywhere(stack);
        Overview afterFirst = api.overview().minus(before);
        long countedFirst = api.counters(campaign).leads() - countedBefore;
        long replicaFirst = backbone.faults.count("leads", replicaCount, lostCampaign);

        Map<String, JsonNode> second = redriveEverywhere(stack);
        Overview afterSecond = api.overview().minus(before);
        long countedSecond = api.counters(campaign).leads() - countedBefore;
        long replicaSecond = backbone.faults.count("leads", replicaCount, lostCampaign);

        System.out.printf("PoisonAndRedriveTest[redrive]: flush %s; first re-drive %s -> analytics +%d, campaign "
                + "counters +%d, replica rows %d; second re-drive %s -> analytics +%d, campaign counters +%d, replica "
                + "rows %d%n", summary(flush), summary(first), afterFirst.total(), countedFirst, replicaFirst,
                summary(second), afterSecond.total(), countedSecond, replicaSecond);

        assertAll(
                () -> assertEquals(1, applied(first, "analytics-service", LEAD_CONSUMERS_DLQ), "analytics applied 1"),
                () -> assertEquals(1, applied(first, "campaign-service", LEAD_CONSUMERS_DLQ), "counters applied 1"),
                () -> assertEquals(1, applied(first, "lead-service", CAMPAIGN_EVENTS + ".dlq"), "replica applied 1"),
                () -> assertEquals(1, afterFirst.total(), "analytics counts the re-driven lead"),
                () -> assertEquals(1, afterFirst.createdInRange(), "analytics counts its creation once"),
                () -> assertEquals(1, countedFirst, "the campaign counts the re-driven lead"),
                () -> assertEquals(1, replicaFirst, "lead-service knows the re-driven campaign"),
                () -> assertEquals(0, applied(second, "analytics-service", LEAD_CONSUMERS_DLQ), "nothing applied twice"),
                () -> assertEquals(0, applied(second, "campaign-service", LEAD_CONSUMERS_DLQ), "nothing applied twice"),
                () -> assertEquals(0, applied(second, "lead-service", CAMPAIGN_EVENTS + ".dlq"), "nothing applied twice"),
                () -> assertTrue(alreadyApplied(second, "analytics-service", LEAD_CONSUMERS_DLQ) >= 1,
                        "the second re-drive finds the event already applied"),
                () -> assertEquals(afterFirst, afterSecond, "analytics unchanged by the second re-drive"),
                () -> assertEquals(countedFirst, countedSecond, "counters unchanged by the second re-drive"),
                () -> assertEquals(1, replicaSecond, "replica unchanged by the second re-drive"));
    }

    // ---- poison

    /** A lead.created-like record for {@code partition}; {@code withoutHeader} is left out of the envelope. */
    private static ProducerRecord<String, String> leadCreated(int partition, String lead, String campaign, String type,
            String data, String withoutHeader) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ce_specversion", "1.0");
        headers.put("ce_id", UUID.randomUUID().toString());
        headers.put("ce_source", "/leadforge/lead-service");
        headers.put("ce_type", type);
        headers.put("ce_time", Instant.now().toString());
        headers.put("ce_subject", lead);
        headers.put("ce_agencyid", LeadForgeApi.ACME);
        headers.put("ce_actor", "fault-suite");
        headers.put("content-type", "application/json");
        headers.remove(withoutHeader);
        RecordHeaders recordHeaders = new RecordHeaders();
        headers.forEach((name, value) -> recordHeaders.add(name, value.getBytes(UTF_8)));
        return new ProducerRecord<>(LEAD_EVENTS, partition, lead, data, recordHeaders);
    }

    /** Data of a well-formed lead.created.v1 (with its snapshot) in Acme's {@code campaign}. */
    private static String createdData(String lead, String campaign) {
        String now = Instant.now().toString();
        return """
                {"lead_id":"%1$s","agency_id":"%2$s","campaign_id":"%3$s","status":"new",\
                "qualification_status":"pending","source":null,"actor":"fault-suite","created_at":"%4$s",\
                "lead":{"lead_id":"%1$s","agency_id":"%2$s","campaign_id":"%3$s","status":"new",\
                "qualification_status":"pending","contacted":false,"responded":false,"deleted":false,"version":0,\
                "changed_at":"%4$s"}}""".formatted(lead, LeadForgeApi.ACME, campaign, now);
    }

    private static void checkEntry(String what, ProducerRecord<String, String> original, RecordMetadata where,
            ConsumerRecord<String, String> entry, List<String> problems) {
        if (!java.util.Objects.equals(original.key(), entry.key())) {
            problems.add(what + ": key changed");
        }
        if (!java.util.Objects.equals(original.value(), entry.value())) {
            problems.add(what + ": value changed");
        }
        for (Header header : original.headers()) {
            if (!new String(header.value(), UTF_8).equals(StackKafka.header(entry, header.key()))) {
                problems.add(what + ": original header " + header.key() + " missing or changed");
            }
        }
        String reason = StackKafka.header(entry, "leadforge-dlq-reason");
        if (reason == null || reason.isBlank()) {
            problems.add(what + ": no leadforge-dlq-reason");
        }
        expect(what, entry, "leadforge-dlq-original-topic", LEAD_EVENTS, problems);
        expect(what, entry, "leadforge-dlq-original-partition", String.valueOf(where.partition()), problems);
        expect(what, entry, "leadforge-dlq-original-offset", String.valueOf(where.offset()), problems);
        String failedAt = StackKafka.header(entry, "leadforge-dlq-failed-at");
        try {
            Instant.parse(String.valueOf(failedAt));
        } catch (DateTimeParseException e) {
            problems.add(what + ": leadforge-dlq-failed-at is not an ISO-8601 instant: " + failedAt);
        }
    }

    private static void expect(String what, ConsumerRecord<String, String> entry, String header, String expected,
            List<String> problems) {
        String actual = StackKafka.header(entry, header);
        if (!expected.equals(actual)) {
            problems.add(what + ": " + header + " is " + actual + ", expected " + expected);
        }
    }

    private static List<ConsumerRecord<String, String>> deadLetterEntries(Map<TopicPartition, Long> from,
            Map<String, ProducerRecord<String, String>> poison) {
        Set<String> ids = new HashSet<>();
        poison.values().forEach(record -> ids.add(header(record, "ce_id")));
        return backbone.kafka.readFrom(LEAD_CONSUMERS_DLQ, from).stream()
                .filter(r -> ids.contains(StackKafka.header(r, "ce_id"))).toList();
    }

    private static String header(ProducerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), UTF_8);
    }

    // ---- re-drive

    private static ConsumerRecord<String, String> firstRecord(String topic, String key, String type) {
        return backbone.kafka.readAll(topic).stream()
                .filter(r -> key.equals(r.key()) && type.equals(StackKafka.header(r, "ce_type")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + type + " for " + key + " on " + topic));
    }

    /**
     * {@code template} with its aggregate id {@code from} replaced by {@code to} (key, value, headers) and a new
     * ce_id, as a dead-letter record of {@code consumer}.
     */
    private static ProducerRecord<String, String> deadLettered(ConsumerRecord<String, String> template, String from,
            String to, String consumer) {
        RecordHeaders headers = new RecordHeaders();
        String eventId = UUID.randomUUID().toString();
        for (Header header : template.headers()) {
            String value = "ce_id".equals(header.key()) ? eventId : new String(header.value(), UTF_8).replace(from, to);
            headers.add(header.key(), value.getBytes(UTF_8));
        }
        headers.add("leadforge-dlq-reason", ("PersistenceException: connection terminated (dead-lettered by an earlier "
                + "consumer version that did not retry transient failures)").getBytes(UTF_8));
        headers.add("leadforge-dlq-consumer", consumer.getBytes(UTF_8));
        headers.add("leadforge-dlq-original-topic", template.topic().getBytes(UTF_8));
        headers.add("leadforge-dlq-original-partition", String.valueOf(template.partition()).getBytes(UTF_8));
        headers.add("leadforge-dlq-original-offset", String.valueOf(template.offset()).getBytes(UTF_8));
        headers.add("leadforge-dlq-failed-at", Instant.now().toString().getBytes(UTF_8));
        return new ProducerRecord<>(template.topic() + ".dlq", null, template.key().replace(from, to),
                template.value().replace(from, to), headers);
    }

    /** {@code POST /admin/dead-letters/redrive} on each consuming service's own port; its JSON answer per service. */
    private static Map<String, JsonNode> redriveEverywhere(Stack stack) {
        Map<String, JsonNode> answers = new LinkedHashMap<>();
        for (String module : List.of("analytics-service", "campaign-service", "lead-service")) {
            Response response = backbone.api.call("POST", stack.serviceUrl(module) + REDRIVE,
                    LeadForgeApi.SUPER_ADMIN, null);
            if (response.status() != 200) {
                throw new AssertionError("POST " + REDRIVE + " on " + module + " answered " + response.status() + ": "
                        + response.body());
            }
            answers.put(module, response.json());
        }
        return answers;
    }

    private static JsonNode entry(Map<String, JsonNode> answers, String module, String deadLetterTopic) {
        // A service with several consumers of the topic (analytics: overview and live updates) reports each: the one
        // that dead-lettered the event is the one whose re-drive applies it.
        JsonNode other = null;
        for (JsonNode result : answers.get(module).path("results")) {
            if (deadLetterTopic.equals(result.path("dead_letter_topic").asText())) {
                if (LEAD_EVENT_CONSUMERS.contains(result.path("consumer").asText())) {
                    return result;
                }
                other = other == null ? result : other;
            }
        }
        if (other != null) {
            return other;
        }
        throw new AssertionError(module + " reported no result for " + deadLetterTopic + ": " + answers.get(module));
    }

    private static long applied(Map<String, JsonNode> answers, String module, String deadLetterTopic) {
        return entry(answers, module, deadLetterTopic).path("applied").asLong(-1);
    }

    private static long alreadyApplied(Map<String, JsonNode> answers, String module, String deadLetterTopic) {
        return entry(answers, module, deadLetterTopic).path("already_applied").asLong(-1);
    }

    private static String summary(Map<String, JsonNode> answers) {
        List<String> parts = new ArrayList<>();
        answers.forEach((module, answer) -> answer.path("results").forEach(r -> parts.add(
                "%s %s examined %d applied %d already %d failing %d others %d".formatted(r.path("consumer").asText(),
                        r.path("dead_letter_topic").asText(), r.path("examined").asLong(), r.path("applied").asLong(),
                        r.path("already_applied").asLong(), r.path("still_failing").asLong(),
                        r.path("other_consumers").asLong()))));
        return "[" + String.join("; ", parts) + "]";
    }
}
