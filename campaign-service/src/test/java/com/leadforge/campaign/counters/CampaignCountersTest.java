package com.leadforge.campaign.counters;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.leadforge.shared.events.CloudEventHeaders;
import com.leadforge.shared.events.EventJson;
import com.leadforge.shared.events.LeadSnapshot;
import com.leadforge.shared.events.Topics;
import com.leadforge.shared.tenancy.TenantContext;
import com.leadforge.testsupport.Await;
import com.leadforge.testsupport.TestTokens;
import com.leadforge.testsupport.TopicProbe;

import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * Synthetic lead events (CloudEvents with {@code lead} snapshots) published to the real broker keep the campaign
 * counters exact under duplicate, out-of-order and repeated delivery; poison goes to the dead-letter topic;
 * reconciliation (in the background, one at a time) finds and fixes drift. Each test waits until the consumer has recorded every event id it published,
 * then asserts exact values, so a late duplicate cannot hide behind an early match.
 */
@QuarkusTest
class CampaignCountersTest {

    static {
        io.restassured.RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    EntityManager entityManager;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    String dbUser;
    @ConfigProperty(name = "quarkus.datasource.password")
    String dbPassword;

    KafkaProducer<String, String> producer;
    /** Every record published by the current test, for replays. */
    final List<ProducerRecord<String, String>> published = new ArrayList<>();

    @BeforeEach
    void connect() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
    }

    @AfterEach
    void disconnect() {
        producer.close(Duration.ofSeconds(5));
    }

    @Test
    void countersAreExactUnderDuplicateOutOfOrderDeliveryMovesAndDeletion() throws Exception {
        String agency = UUID.randomUUID().toString();
        String admin = admin(agency);
        UUID a = UUID.fromString(create(admin, "Counted A"));
        UUID b = UUID.fromString(create(admin, "Counted B"));
        UUID lead1 = UUID.randomUUID();
        UUID lead2 = UUID.randomUUID();
        UUID lead3 = UUID.randomUUID();
        UUID lead4 = UUID.randomUUID();

        // lead1 in A: created, contacted, then qualified and responded; delivered v1, v3, v2, then v3 redelivered
        // (same event id) and v1 published again (new event id).
        String l1v1 = publish(agency, "created", snap(lead1, agency, a, "new", "pending", false, false, false, 1));
        String l1v3 = publish(agency, "qualified", snap(lead1, agency, a, "responded", "qualified", true, true, false, 3));
        publish(agency, "contacted", snap(lead1, agency, a, "contacted", "pending", true, false, false, 2));
        redeliver(l1v3);
        republish(l1v1);
        // lead2 in A: created then deleted, the deletion arriving first.
        publish(agency, "deleted", snap(lead2, agency, a, "new", "pending", false, false, true, 2));
        publish(agency, "created", snap(lead2, agency, a, "new", "pending", false, false, false, 1));
        // lead3: qualified in A, then moved to B; the move arrives first and again later.
        String l3v2 = publish(agency, "status_changed", snap(lead3, agency, b, "qualified", "qualified", false, false, false, 2));
        publish(agency, "created", snap(lead3, agency, a, "qualified", "qualified", false, false, false, 1));
        redeliver(l3v2);
        // lead4: contacted in B.
        publish(agency, "created", snap(lead4, agency, b, "contacted", "pending", true, false, false, 1));

        awaitAllApplied();
        assertCounters(admin, a, 1, 1, 1, 1);
        assertCounters(admin, b, 2, 1, 1, 0);

        // Replaying every event twice more (as redeliveries and as re-publications) changes nothing.
        List<ProducerRecord<String, String>> history = List.copyOf(published);
        for (ProducerRecord<String, String> record : history) {
            redeliver(eventId(record));
            republish(eventId(record));
        }
        awaitAllApplied();
        assertCounters(admin, a, 1, 1, 1, 1);
        assertCounters(admin, b, 2, 1, 1, 0);

        // The projection is agency-scoped by row-level security like the campaigns.
        assertEquals(4L, asAgency(agency, () -> count("select count(*) from lead_projection")));
        assertEquals(0L, asAgency(UUID.randomUUID().toString(), () -> count("select count(*) from lead_projection")));
        assertEquals(0L, asAgency(null, () -> count("select count(*) from lead_projection")));
    }

    /**
     * A burst like an import's: the consumer takes a poll at a time, one transaction per agency. The counters must equal
     * those of applying every event alone, redeliveries inside the same poll must apply once, a poisoned event must
     * leave its poll's other events applied (and go to the dead-letter topic alone), and the inbox must show that
     * events really shared transactions (the inbox row's time is its transaction's start).
     */
    @Test
    void aBurstIsAppliedAPollAtATimeWithTheCountsOfApplyingEachEventAlone() throws Exception {
        String agency = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        String admin = admin(agency);
        String otherAdmin = admin(other);
        UUID a = UUID.fromString(create(admin, "Burst A"));
        UUID b = UUID.fromString(create(admin, "Burst B"));
        UUID o = UUID.fromString(create(otherAdmin, "Burst other"));
        Map<UUID, LeadSnapshot> finalState = new java.util.HashMap<>();
        String poison;
        try (KafkaProducer<String, String> burst = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.LINGER_MS_CONFIG, "200", ProducerConfig.BATCH_SIZE_CONFIG, "1048576"))) {
            ProducerRecord<String, String> poisoned = null;
            for (int i = 0; i < 300; i++) {
                UUID lead = UUID.randomUUID();
                String qualification = i % 3 == 0 ? "qualified" : "pending";
                LeadSnapshot created = snap(lead, agency, a, "new", qualification, false, false, false, 1);
                ProducerRecord<String, String> first = leadRecord(agency, "created", created);
                burst.send(first);
                finalState.put(lead, created);
                if (i % 10 == 0) {
                    burst.send(first); // redelivered inside the same burst: same event id
                }
                if (i % 5 == 0) {
                    LeadSnapshot moved = snap(lead, agency, b, "contacted", qualification, true, false, false, 2);
                    burst.send(leadRecord(agency, "updated", moved));
                    finalState.put(lead, moved);
                }
                if (i % 7 == 0) {
                    UUID foreign = UUID.randomUUID();
                    LeadSnapshot theirs = snap(foreign, other, o, "new", "pending", false, false, false, 1);
                    burst.send(leadRecord(other, "created", theirs));
                    finalState.put(foreign, theirs);
                }
                if (i == 150) {
                    // Names another agency than its ce_agencyid: poison, in the middle of the agency's events.
                    poisoned = leadRecord(agency, "created",
                            snap(UUID.randomUUID(), other, a, "new", "pending", false, false, false, 1));
                    burst.send(poisoned);
                }
            }
            burst.flush();
            published.remove(poisoned);
            poison = eventId(poisoned);
        }
        try (TopicProbe dlq = new TopicProbe(bootstrapServers, Topics.deadLetterOf(Topics.LEAD_EVENTS))) {
            dlq.await(r -> poison.equals(TopicProbe.header(r, CloudEventHeaders.ID)), Duration.ofSeconds(60));
        }
        awaitAllApplied();

        for (UUID campaign : List.of(a, b, o)) {
            List<LeadSnapshot> in = finalState.values().stream().filter(l -> campaign.equals(l.campaignId())).toList();
            assertCounters(campaign.equals(o) ? otherAdmin : admin, campaign, in.size(),
                    (int) in.stream().filter(l -> "qualified".equals(l.qualificationStatus())).count(),
                    (int) in.stream().filter(LeadSnapshot::contacted).count(), 0);
        }
        List<String> ids = published.stream().map(CampaignCountersTest::eventId).distinct().toList();
        String idList = String.join(",", ids.stream().map(id -> "'" + id + "'").toList());
        long inboxRows = asAgency(null, () -> count("select count(*) from processed_event where consumer = "
                + "'campaign.counters' and event_id in (" + idList + ")"));
        long transactions = asAgency(null, () -> count("select count(distinct processed_at) from processed_event "
                + "where consumer = 'campaign.counters' and event_id in (" + idList + ")"));
        assertEquals(ids.size(), inboxRows);
        assertTrue(transactions < inboxRows / 4, inboxRows + " events took " + transactions
                + " transactions: the burst was not applied a poll at a time");
    }

    @Test
    void mergedAndErasedLeadsStopCountingAndOtherEventsAreIgnored() throws Exception {
        String agency = UUID.randomUUID().toString();
        String admin = admin(agency);
        UUID campaign = UUID.fromString(create(admin, "Merges"));
        UUID survivor = UUID.randomUUID();
        UUID merged = UUID.randomUUID();
        UUID erased = UUID.randomUUID();
        publish(agency, "created", snap(survivor, agency, campaign, "new", "pending", false, false, false, 1));
        publish(agency, "created", snap(merged, agency, campaign, "contacted", "qualified", true, true, false, 1));
        publish(agency, "created", snap(erased, agency, campaign, "responded", "pending", true, true, false, 1));
        publish(agency, "merged", snap(survivor, agency, campaign, "contacted", "qualified", true, true, false, 2));
        publish(agency, "deleted", snap(merged, agency, campaign, "contacted", "qualified", true, true, true, 2));
        publish(agency, "erased", snap(erased, agency, campaign, "responded", "pending", true, true, true, 2));
        // A lead event from before snapshots: recorded, counted nowhere. Another aggregate's event on the topic (an
        // import result, say): acknowledged without a transaction or an inbox row (handles()), counted nowhere.
        publishRaw(agency, "leadforge.lead.created.v1", UUID.randomUUID().toString(),
                "{\"lead_id\":\"" + UUID.randomUUID() + "\",\"campaign_id\":\"" + campaign + "\"}");
        String skipped = publishRaw(agency, "leadforge.campaign.created.v1", UUID.randomUUID().toString(),
                "{\"lead\":{}}");
        published.removeIf(r -> skipped.equals(eventId(r)));

        awaitAllApplied();
        assertCounters(admin, campaign, 1, 1, 1, 1);
    }

    @Test
    void poisonGoesToTheDeadLetterTopicAndConsumptionContinues() throws Exception {
        String agency = UUID.randomUUID().toString();
        String admin = admin(agency);
        UUID campaign = UUID.fromString(create(admin, "Poisoned"));
        String foreign = publish(agency, "created",
                snap(UUID.randomUUID(), UUID.randomUUID().toString(), campaign, "new", "pending", false, false, false, 1));
        String noStatus = publishRaw(agency, "leadforge.lead.created.v1", UUID.randomUUID().toString(),
                "{\"lead\":{\"lead_id\":\"" + UUID.randomUUID() + "\",\"agency_id\":\"" + agency + "\",\"version\":1}}");
        String notJson = publishRaw(agency, "leadforge.lead.updated.v1", UUID.randomUUID().toString(), "{\"lead\": 42");
        published.removeIf(r -> List.of(foreign, noStatus, notJson).contains(eventId(r)));
        publish(agency, "created", snap(UUID.randomUUID(), agency, campaign, "new", "pending", false, false, false, 1));

        try (TopicProbe dlq = new TopicProbe(bootstrapServers, Topics.deadLetterOf(Topics.LEAD_EVENTS))) {
            for (String poison : List.of(foreign, noStatus, notJson)) {
                dlq.await(r -> poison.equals(TopicProbe.header(r, CloudEventHeaders.ID)), Duration.ofSeconds(30));
            }
        }
        awaitAllApplied();
        assertCounters(admin, campaign, 1, 0, 0, 0);
    }

    @Test
    void anEventOfOneAgencyNeverTouchesAnotherAgencysCampaign() throws Exception {
        String victim = UUID.randomUUID().toString();
        String attacker = UUID.randomUUID().toString();
        UUID victimCampaign = UUID.fromString(create(admin(victim), "Victim"));
        // A lead of the attacker's agency claiming the victim's campaign: row-level security hides that campaign.
        publish(attacker, "created", snap(UUID.randomUUID(), attacker, victimCampaign, "new", "qualified", true, true, false, 1));
        awaitAllApplied();
        assertCounters(admin(victim), victimCampaign, 0, 0, 0, 0);
        // And the attacker's reconciliation leaves the victim's counters alone.
        JsonPath attack = reconcile(admin(attacker));
        assertEquals("succeeded", attack.getString("status"));
        assertEquals(0, attack.getInt("result.campaigns_checked"));
        assertEquals(List.of(), attack.getList("result.drift"));
        assertCounters(admin(victim), victimCampaign, 0, 0, 0, 0);
    }

    @Test
    void aCampaignWithLeadsIsArchivedOnlyWhenForcedAndDeletedOnceItHasNone() throws Exception {
        String agency = UUID.randomUUID().toString();
        String admin = admin(agency);
        String id = create(admin, "With leads");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"status\":\"active\"}")
                .put("/api/v1/campaigns/" + id).then().statusCode(200);
        UUID lead = UUID.randomUUID();
        publish(agency, "created", snap(lead, agency, UUID.fromString(id), "new", "pending", false, false, false, 1));
        awaitAllApplied();

        given().auth().oauth2(admin).delete("/api/v1/campaigns/" + id)
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("https://leadforge.io/problems/conflict"));
        given().auth().oauth2(admin).delete("/api/v1/campaigns/" + id + "?force=true")
                .then().statusCode(200).body("status", equalTo("archived")).body("leads_count", equalTo(1));
        given().auth().oauth2(admin).get("/api/v1/campaigns/" + id).then().statusCode(200)
                .body("status", equalTo("archived"));
        try (TopicProbe probe = new TopicProbe(bootstrapServers, Topics.CAMPAIGN_EVENTS)) {
            ConsumerRecord<String, String> archived = probe.await(r -> id.equals(r.key())
                    && "leadforge.campaign.status_changed.v1".equals(TopicProbe.header(r, CloudEventHeaders.TYPE))
                    && "force_delete".equals(new JsonPath(r.value()).getString("reason")), Duration.ofSeconds(30));
            assertEquals("active", new JsonPath(archived.value()).getString("old_status"));
        }

        // Once its only lead is deleted, the campaign can be deleted for real.
        publish(agency, "deleted", snap(lead, agency, UUID.fromString(id), "new", "pending", false, false, true, 2));
        awaitAllApplied();
        given().auth().oauth2(admin).delete("/api/v1/campaigns/" + id).then().statusCode(204);
        given().auth().oauth2(admin).get("/api/v1/campaigns/" + id).then().statusCode(404);
    }

    @Test
    void reconciliationReportsAndFixesDriftFromAFullReplay() throws Exception {
        String agency = UUID.randomUUID().toString();
        String admin = admin(agency);
        UUID campaign = UUID.fromString(create(admin, "Drifting"));
        UUID untouched = UUID.fromString(create(admin, "Steady"));
        UUID lead1 = UUID.randomUUID();
        UUID lead2 = UUID.randomUUID();
        publish(agency, "created", snap(lead1, agency, campaign, "contacted", "qualified", true, false, false, 1));
        publish(agency, "created", snap(lead2, agency, campaign, "responded", "pending", true, true, false, 1));
        awaitAllApplied();
        assertCounters(admin, campaign, 2, 1, 2, 1);

        // Drift: counters edited behind the projection's back, and one lead's state lost from the projection.
        asAgency(agency, () -> entityManager.createNativeQuery("""
                update campaign set leads_count = 7, responded_count = 0 where id = :id""")
                .setParameter("id", campaign).executeUpdate());
        asAgency(agency, () -> entityManager.createNativeQuery("delete from lead_projection where lead_id = :id")
                .setParameter("id", lead2).executeUpdate());

        given().auth().oauth2(TestTokens.user("r").agency(agency).roles("researcher").sign())
                .post("/api/v1/campaigns/reconcile").then().statusCode(403).contentType("application/problem+json");
        JsonPath run = reconcile(admin);
        assertEquals("succeeded", run.getString("status"), run.prettify());
        assertEquals("done", run.getString("phase"));
        assertEquals(2, run.getInt("result.campaigns_checked"));
        assertEquals(2, run.getInt("result.leads_replayed"));
        assertEquals(1, run.getInt("result.leads_corrected"));
        assertEquals(2, run.getInt("progress.leads_replayed"));
        assertTrue(run.getLong("progress.records_read") >= 2 && run.getLong("progress.records_read")
                <= run.getLong("progress.records_total"), run.prettify());
        JsonPath report = run.setRootPath("result");
        assertEquals(1, report.getList("drift").size(), "the untouched campaign has no drift: " + untouched);
        assertEquals(campaign.toString(), report.getString("drift[0].campaign_id"));
        assertEquals("Drifting", report.getString("drift[0].name"));
        assertEquals(7, report.getInt("drift[0].stored.leads_count"));
        assertEquals(0, report.getInt("drift[0].stored.responded_count"));
        assertEquals(2, report.getInt("drift[0].actual.leads_count"));
        assertEquals(1, report.getInt("drift[0].actual.responded_count"));
        assertCounters(admin, campaign, 2, 1, 2, 1);

        // A second run finds nothing left to fix.
        JsonPath again = reconcile(admin);
        assertEquals(List.of(), again.getList("result.drift"));
        assertEquals(0, again.getInt("result.leads_corrected"));
        // The live consumer keeps working on top of the repaired projection.
        publish(agency, "deleted", snap(lead2, agency, campaign, "responded", "pending", true, true, true, 2));
        awaitAllApplied();
        assertCounters(admin, campaign, 1, 1, 1, 0);
    }

    /**
     * A run works in the background and one at a time: while one is held up (here by a row lock on one of its
     * campaigns), asking again as its agency joins it, asking as another agency is a 409, and its status is the
     * agency's alone. Once the lock goes, it finishes and its report is on the status resource.
     */
    @Test
    void reconciliationRunsInTheBackgroundOneAtATimeAndItsStatusIsTheAgencysOnly() throws Exception {
        String agency = UUID.randomUUID().toString();
        String admin = admin(agency);
        UUID campaign = UUID.fromString(create(admin, "Locked"));
        publish(agency, "created", snap(UUID.randomUUID(), agency, campaign, "new", "pending", false, false, false, 1));
        awaitAllApplied();
        String other = admin(UUID.randomUUID().toString());

        String location;
        try (Connection lock = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword)) {
            lock.setAutoCommit(false);
            try (Statement statement = lock.createStatement()) {
                statement.execute("select set_config('leadforge.agency_id', '" + agency + "', true)");
                statement.execute("select id from campaign where id = '" + campaign + "' for update");
            }
            var started = given().auth().oauth2(admin).post("/api/v1/campaigns/reconcile").then().statusCode(202)
                    .header("Location", startsWith("/api/v1/campaigns/reconcile/"))
                    .body("status", equalTo("running"))
                    .extract();
            location = started.header("Location");
            assertEquals(location, "/api/v1/campaigns/reconcile/" + started.path("id"));
            Await.until("the run waiting for the campaign lock", Duration.ofSeconds(60), () -> "repairing".equals(
                    given().auth().oauth2(admin).get(location).then().statusCode(200).extract().path("phase")));

            given().auth().oauth2(admin).post("/api/v1/campaigns/reconcile").then().statusCode(202)
                    .header("Location", equalTo(location)).body("status", equalTo("running"));
            given().auth().oauth2(other).post("/api/v1/campaigns/reconcile").then().statusCode(409)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://leadforge.io/problems/conflict"))
                    .body(not(containsString(agency)));
            given().auth().oauth2(other).get(location).then().statusCode(404).contentType("application/problem+json");
            given().auth().oauth2(TestTokens.user("r2").agency(agency).roles("researcher").sign()).get(location)
                    .then().statusCode(403);
            lock.rollback();
        }
        Await.until("the run to finish", Duration.ofSeconds(60), () -> !"running".equals(
                given().auth().oauth2(admin).get(location).then().extract().path("status")));
        given().auth().oauth2(admin).get(location).then().statusCode(200)
                .body("status", equalTo("succeeded"))
                .body("result.campaigns_checked", equalTo(1))
                .body("result.leads_replayed", equalTo(1))
                .body("finished_at", notNullValue());
        // Free again: the other agency may start its own now.
        assertEquals("succeeded", reconcile(other).getString("status"));
        given().auth().oauth2(admin).get("/api/v1/campaigns/reconcile/" + UUID.randomUUID()).then().statusCode(404);
    }

    /** Starts a reconciliation as {@code token} and waits for it to end; returns its final status. */
    static JsonPath reconcile(String token) {
        String location = given().auth().oauth2(token).post("/api/v1/campaigns/reconcile").then().statusCode(202)
                .extract().header("Location");
        Await.until("reconciliation " + location + " to finish", Duration.ofSeconds(90), () -> !"running".equals(
                given().auth().oauth2(token).get(location).then().statusCode(200).extract().path("status")));
        return given().auth().oauth2(token).get(location).then().statusCode(200).extract().jsonPath();
    }

    private static LeadSnapshot snap(UUID lead, String agency, UUID campaign, String status, String qualification,
            boolean contacted, boolean responded, boolean deleted, long version) {
        return new LeadSnapshot(lead, agency, campaign, status, qualification, contacted, responded, deleted, version,
                Instant.now());
    }

    /** Publishes a lead event of {@code action} carrying {@code lead}; returns its event id. */
    private String publish(String agency, String action, LeadSnapshot lead) throws Exception {
        return publishRaw(agency, "leadforge.lead." + action + ".v1", lead.leadId().toString(),
                EventJson.write(Map.of("lead", lead, "lead_id", lead.leadId())));
    }

    /** A lead event record (remembered as published), for sending in a burst without waiting on each one. */
    private ProducerRecord<String, String> leadRecord(String agency, String action, LeadSnapshot lead) {
        String key = lead.leadId().toString();
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.LEAD_EVENTS, key,
                EventJson.write(Map.of("lead", lead, "lead_id", lead.leadId())));
        header(record, CloudEventHeaders.SPEC_VERSION, "1.0");
        header(record, CloudEventHeaders.ID, UUID.randomUUID().toString());
        header(record, CloudEventHeaders.TYPE, "leadforge.lead." + action + ".v1");
        header(record, CloudEventHeaders.SOURCE, "/test");
        header(record, CloudEventHeaders.SUBJECT, key);
        header(record, CloudEventHeaders.AGENCY_ID, agency);
        published.add(record);
        return record;
    }

    private String publishRaw(String agency, String type, String key, String data) throws Exception {
        String id = UUID.randomUUID().toString();
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.LEAD_EVENTS, key, data);
        header(record, CloudEventHeaders.SPEC_VERSION, "1.0");
        header(record, CloudEventHeaders.ID, id);
        header(record, CloudEventHeaders.TYPE, type);
        header(record, CloudEventHeaders.SOURCE, "/test");
        header(record, CloudEventHeaders.SUBJECT, key);
        header(record, CloudEventHeaders.AGENCY_ID, agency);
        producer.send(record).get();
        published.add(record);
        return id;
    }

    /** The same record again, same event id: what an at-least-once relay does after a crash. */
    private void redeliver(String eventId) throws Exception {
        ProducerRecord<String, String> original = find(eventId);
        producer.send(new ProducerRecord<>(original.topic(), null, original.key(), original.value(),
                original.headers())).get();
    }

    /** The same data under a new event id: a replay the inbox cannot recognise, only the snapshot version can. */
    private void republish(String eventId) throws Exception {
        ProducerRecord<String, String> original = find(eventId);
        ProducerRecord<String, String> copy = new ProducerRecord<>(original.topic(), original.key(), original.value());
        for (var header : original.headers()) {
            if (!header.key().equals(CloudEventHeaders.ID)) {
                copy.headers().add(header.key(), header.value());
            }
        }
        header(copy, CloudEventHeaders.ID, UUID.randomUUID().toString());
        producer.send(copy).get();
        published.add(copy);
    }

    private ProducerRecord<String, String> find(String eventId) {
        return published.stream().filter(r -> eventId.equals(eventId(r))).findFirst().orElseThrow();
    }

    private static String eventId(ProducerRecord<String, String> record) {
        return new String(record.headers().lastHeader(CloudEventHeaders.ID).value(), StandardCharsets.UTF_8);
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Waits until the consumer has committed the effect of every event id published so far. Records of one lead share
     * a partition and are applied in order, and a redelivery of an applied id is a no-op, so after this the counters
     * are final for what was published.
     */
    private void awaitAllApplied() {
        List<String> ids = published.stream().map(CampaignCountersTest::eventId).distinct().toList();
        Await.until(ids.size() + " events applied", Duration.ofSeconds(60), () -> asAgency(null, () -> count(
                "select count(*) from processed_event where consumer = 'campaign.counters' and event_id in ("
                        + String.join(",", ids.stream().map(id -> "'" + id + "'").toList()) + ")")) == ids.size());
        producer.flush();
        // Redeliveries of applied ids come after their first delivery on the same partition; wait for the partition
        // to move past them by publishing and awaiting one marker per partition-key of this test.
        List<String> markers = new ArrayList<>();
        for (String key : published.stream().map(ProducerRecord::key).distinct().toList()) {
            String id = UUID.randomUUID().toString();
            ProducerRecord<String, String> marker = new ProducerRecord<>(Topics.LEAD_EVENTS, key, "{}");
            header(marker, CloudEventHeaders.ID, id);
            // A known type without a lead snapshot: recorded in the inbox, counted nowhere. (An unknown type would be
            // dead-lettered, not recorded.)
            header(marker, CloudEventHeaders.TYPE, "leadforge.lead.updated.v1");
            header(marker, CloudEventHeaders.SOURCE, "/test");
            header(marker, CloudEventHeaders.AGENCY_ID, UUID.randomUUID().toString());
            try {
                producer.send(marker).get();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            markers.add(id);
        }
        Await.until("markers behind every published record", Duration.ofSeconds(60), () -> asAgency(null, () -> count(
                "select count(*) from processed_event where consumer = 'campaign.counters' and event_id in ("
                        + String.join(",", markers.stream().map(id -> "'" + id + "'").toList()) + ")"))
                == markers.size());
    }

    private long count(String sql) {
        return ((Number) entityManager.createNativeQuery(sql).getSingleResult()).longValue();
    }

    private static void assertCounters(String token, UUID campaign, int leads, int qualified, int contacted,
            int responded) {
        given().auth().oauth2(token).get("/api/v1/campaigns/" + campaign)
                .then().statusCode(200)
                .body("leads_count", equalTo(leads))
                .body("qualified_leads_count", equalTo(qualified))
                .body("contacted_count", equalTo(contacted))
                .body("responded_count", equalTo(responded));
    }

    /** One unit of work as the given agency (or none), like a request or a consumed event. */
    private <T> T asAgency(String agencyId, Callable<T> work) {
        var requestContext = Arc.container().requestContext();
        requestContext.activate();
        try {
            if (agencyId != null) {
                Arc.container().instance(TenantContext.class).get().enter(agencyId, "counters-test");
            }
            return QuarkusTransaction.requiringNew().call(work);
        } finally {
            requestContext.terminate();
        }
    }

    private static String admin(String agency) {
        return TestTokens.user("admin-" + agency.substring(0, 8)).agency(agency).roles("agency_admin").sign();
    }

    private static String create(String token, String name) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"name\":\"%s\"}".formatted(name))
                .post("/api/v1/campaigns").then().statusCode(201).extract().path("id");
    }
}
