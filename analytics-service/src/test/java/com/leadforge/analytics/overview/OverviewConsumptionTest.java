package com.leadforge.analytics.overview;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
import com.leadforge.shared.events.LeadCreatedEvent;
import com.leadforge.shared.events.LeadSnapshot;
import com.leadforge.shared.events.Topics;
import com.leadforge.testsupport.Await;
import com.leadforge.testsupport.RealInfrastructure;
import com.leadforge.testsupport.TestTokens;
import com.leadforge.testsupport.TopicProbe;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import jakarta.inject.Inject;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** Events published to the real broker reach the read model once, per agency; poison goes to the dead-letter topic. */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = {
        @ResourceArg(name = "database", value = "analytics"),
        @ResourceArg(name = "topics", value = Topics.LEAD_EVENTS + "," + Topics.CAMPAIGN_EVENTS + "," + Topics.SCRAPING_EVENTS) })
class OverviewConsumptionTest {

    static {
        io.restassured.RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    KafkaProducer<String, String> producer;

    @Inject
    AgroalDataSource dataSource;

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
    void leadCreatedEventsAreCountedOncePerEventIdAndOnlyForTheirAgency() throws Exception {
        String agency = UUID.randomUUID().toString();
        String otherAgency = UUID.randomUUID().toString();
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();

        publishLeadCreated(agency, first);
        publishLeadCreated(agency, first); // redelivery of the same event
        publishLeadCreated(agency, second);
        publishLeadCreated(agency, second);
        publishLeadCreated(otherAgency, UUID.randomUUID().toString());
        String marker = UUID.randomUUID().toString();
        publishLeadCreated(agency, marker);
        producer.flush();

        Await.until("three distinct leads counted", Duration.ofSeconds(30), () -> leadsTotal(agency) == 3);
        assertEquals(3, leadsTotal(agency), "duplicates must not be counted");
        assertEquals(1, leadsTotal(otherAgency));
        assertEquals(3, given().auth().oauth2(token(agency)).get("/api/v1/analytics/overview?range=7d")
                .then().statusCode(200).extract().<Integer>path("overview.trends.leads"));
    }

    @Test
    void poisonRecordsGoToTheDeadLetterTopicAndConsumptionContinues() throws Exception {
        String agency = UUID.randomUUID().toString();
        ProducerRecord<String, String> noAgency = new ProducerRecord<>(Topics.LEAD_EVENTS, "k", "{}");
        noAgency.headers().add(CloudEventHeaders.ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        noAgency.headers().add(CloudEventHeaders.TYPE, "leadforge.lead.created.v1".getBytes(StandardCharsets.UTF_8));
        noAgency.headers().add(CloudEventHeaders.SOURCE, "/test".getBytes(StandardCharsets.UTF_8));
        String poisonId = new String(noAgency.headers().lastHeader(CloudEventHeaders.ID).value(), StandardCharsets.UTF_8);
        producer.send(noAgency).get();

        ProducerRecord<String, String> badData = leadCreated(agency, UUID.randomUUID().toString());
        badData = new ProducerRecord<>(badData.topic(), null, badData.key(), "{\"created_at\": \"yesterday\"}",
                badData.headers());
        producer.send(badData).get();
        publishLeadCreated(agency, UUID.randomUUID().toString());

        try (TopicProbe dlq = new TopicProbe(bootstrapServers, Topics.deadLetterOf(Topics.LEAD_EVENTS))) {
            dlq.await(r -> poisonId.equals(TopicProbe.header(r, CloudEventHeaders.ID)), Duration.ofSeconds(30));
        }
        Await.until("the valid event after the poison ones is applied", Duration.ofSeconds(30),
                () -> leadsTotal(agency) == 1);
    }

    @Test
    void leadSnapshotsKeepTheCountersExactUnderDuplicateAndOutOfOrderDelivery() throws Exception {
        String agency = UUID.randomUUID().toString();
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        UUID third = UUID.randomUUID();
        // first: created, then contacted, then qualified + responded; delivered 1, 3, 2 and 3 again (redelivery).
        publishSnapshot(agency, "created", new LeadSnapshot(first, agency, null, "new", "pending", false, false, false, 1, Instant.now()));
        publishSnapshot(agency, "updated", new LeadSnapshot(first, agency, null, "responded", "qualified", true, true, false, 3, Instant.now()));
        publishSnapshot(agency, "updated", new LeadSnapshot(first, agency, null, "contacted", "pending", true, false, false, 2, Instant.now()));
        publishSnapshot(agency, "updated", new LeadSnapshot(first, agency, null, "responded", "qualified", true, true, false, 3, Instant.now()));
        // second: created then deleted, the deletion arriving first.
        publishSnapshot(agency, "deleted", new LeadSnapshot(second, agency, null, "new", "pending", false, false, true, 2, Instant.now()));
        publishSnapshot(agency, "created", new LeadSnapshot(second, agency, null, "new", "pending", false, false, false, 1, Instant.now()));
        // third: converted.
        publishSnapshot(agency, "created", new LeadSnapshot(third, agency, null, "converted", "qualified", true, false, false, 1, Instant.now()));
        String marker = UUID.randomUUID().toString();
        publishLeadCreated(agency, marker); // legacy event without snapshot, counted once
        producer.flush();

        Await.until("all snapshots applied", Duration.ofSeconds(30), () -> leadsTotal(agency) == 3);
        var leads = given().auth().oauth2(token(agency)).get("/api/v1/analytics/overview")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(3, leads.getInt("overview.leads.total"), "first, third and the legacy lead; second is deleted");
        assertEquals(2, leads.getInt("overview.leads.qualified"));
        assertEquals(2, leads.getInt("overview.leads.contacted"));
        assertEquals(1, leads.getInt("overview.leads.responded"));
        assertEquals(33.3, leads.getDouble("overview.leads.conversion_rate"), 0.001);
        assertEquals(50.0, leads.getDouble("overview.leads.response_rate"), 0.001);
    }

    /**
     * An import-sized burst, taken a poll at a time (one transaction per poll and agency, lead snapshots applied as a
     * set): the overview must equal what applying each event alone gives — newest snapshot per lead, redeliveries
     * inside the poll once, another agency's events apart, a poisoned event dead-lettered alone — and the inbox must
     * show that events really shared transactions.
     */
    @Test
    void aBurstIsAppliedAPollAtATimeWithTheCountsOfApplyingEachEventAlone() throws Exception {
        String agency = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        Map<UUID, LeadSnapshot> finalState = new java.util.HashMap<>();
        List<String> ids = new java.util.ArrayList<>();
        int otherLeads = 0;
        String poison;
        try (KafkaProducer<String, String> burst = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.LINGER_MS_CONFIG, "200", ProducerConfig.BATCH_SIZE_CONFIG, "1048576"))) {
            for (int i = 0; i < 300; i++) {
                UUID lead = UUID.randomUUID();
                LeadSnapshot created = new LeadSnapshot(lead, agency, null, i % 4 == 0 ? "converted" : "new",
                        i % 3 == 0 ? "qualified" : "pending", false, false, false, 1, Instant.now());
                ProducerRecord<String, String> first = snapshotRecord(agency, "created", created, ids);
                burst.send(first);
                finalState.put(lead, created);
                if (i % 10 == 0) {
                    burst.send(first); // the same event id again, inside the same burst
                }
                if (i % 5 == 0) {
                    LeadSnapshot contacted = new LeadSnapshot(lead, agency, null, "responded", "qualified", true,
                            i % 2 == 0, false, 2, Instant.now());
                    burst.send(snapshotRecord(agency, "updated", contacted, ids));
                    finalState.put(lead, contacted);
                }
                if (i % 7 == 0) {
                    LeadSnapshot deleted = new LeadSnapshot(lead, agency, null, "new", "pending", false, false, true,
                            3, Instant.now());
                    burst.send(snapshotRecord(agency, "deleted", deleted, ids));
                    finalState.put(lead, deleted);
                }
                if (i % 9 == 0) {
                    burst.send(snapshotRecord(other, "created", new LeadSnapshot(UUID.randomUUID(), other, null,
                            "new", "pending", false, false, false, 1, Instant.now()), ids));
                    otherLeads++;
                }
            }
            ProducerRecord<String, String> poisoned = snapshotRecord(agency, "created", new LeadSnapshot(
                    UUID.randomUUID(), other, null, "new", "pending", false, false, false, 1, Instant.now()),
                    new java.util.ArrayList<>());
            poison = new String(poisoned.headers().lastHeader(CloudEventHeaders.ID).value(), StandardCharsets.UTF_8);
            burst.send(poisoned);
            burst.flush();
        }
        try (TopicProbe dlq = new TopicProbe(bootstrapServers, Topics.deadLetterOf(Topics.LEAD_EVENTS))) {
            dlq.await(r -> poison.equals(TopicProbe.header(r, CloudEventHeaders.ID)), Duration.ofSeconds(60));
        }
        List<String> distinct = ids.stream().distinct().toList();
        Await.until("every event of the burst applied", Duration.ofSeconds(60),
                () -> appliedCount(distinct) == distinct.size());

        List<LeadSnapshot> live = finalState.values().stream().filter(l -> !l.deleted()).toList();
        var overview = given().auth().oauth2(token(agency)).get("/api/v1/analytics/overview")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(live.size(), overview.getInt("overview.leads.total"));
        assertEquals(live.stream().filter(l -> "qualified".equals(l.qualificationStatus())).count(),
                overview.getLong("overview.leads.qualified"));
        assertEquals(live.stream().filter(LeadSnapshot::contacted).count(), overview.getLong("overview.leads.contacted"));
        assertEquals(live.stream().filter(LeadSnapshot::responded).count(), overview.getLong("overview.leads.responded"));
        assertEquals(otherLeads, leadsTotal(other));
        assertEquals(300L, sql(agency, "select coalesce(sum(created), 0) from agency_daily_leads"),
                "each creation counted once by day, however often it was delivered");
        String inList = "'" + String.join("','", distinct) + "'";
        // The overview consumer's inbox rows only: other consumers of the same events keep their own.
        String overviewInbox = "processed_event where consumer = 'analytics.overview' and event_id in (" + inList + ")";
        long rows = sql(null, "select count(*) from " + overviewInbox);
        long transactions = sql(null, "select count(distinct processed_at) from " + overviewInbox);
        assertTrue(transactions < rows / 4, rows + " events took " + transactions
                + " transactions: the burst was not applied a poll at a time");
    }

    private ProducerRecord<String, String> snapshotRecord(String agency, String action, LeadSnapshot lead,
            List<String> ids) {
        String id = UUID.randomUUID().toString();
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.LEAD_EVENTS, lead.leadId().toString(),
                EventJson.write(Map.of("lead", lead)));
        record.headers().add(CloudEventHeaders.ID, id.getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.TYPE, ("leadforge.lead." + action + ".v1").getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.SOURCE, "/test".getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.AGENCY_ID, agency.getBytes(StandardCharsets.UTF_8));
        ids.add(id);
        return record;
    }

    /** A single number from the analytics database, as {@code agency} (row-level security) when given. */
    private long sql(String agency, String query) {
        try (Connection connection = dataSource.getConnection()) {
            if (agency != null) {
                try (PreparedStatement enter = connection.prepareStatement(
                        "select set_config('leadforge.agency_id', ?, false)")) {
                    enter.setString(1, agency);
                    enter.execute();
                }
            }
            try (PreparedStatement statement = connection.prepareStatement(query);
                    ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void campaignEventsKeepActiveAndTotalCampaignsExact() throws Exception {
        String agency = UUID.randomUUID().toString();
        UUID running = UUID.randomUUID();
        UUID stopped = UUID.randomUUID();
        UUID removed = UUID.randomUUID();
        List<String> published = new ArrayList<>();
        Instant t0 = Instant.now().minusSeconds(60);
        published.add(publishCampaign(agency, "created", running, Map.of("campaign_id", running, "agency_id", agency, "name", "r",
                "status", "active", "created_at", t0)));
        published.add(publishCampaign(agency, "created", stopped, Map.of("campaign_id", stopped, "agency_id", agency, "name", "s",
                "status", "active", "created_at", t0)));
        // stopped: paused later; the pause arrives twice and before an older duplicate of the creation.
        Map<String, Object> pause = Map.of("campaign_id", stopped, "agency_id", agency, "old_status", "active",
                "new_status", "paused", "occurred_at", t0.plusSeconds(10));
        published.add(publishCampaign(agency, "status_changed", stopped, pause));
        published.add(publishCampaign(agency, "status_changed", stopped, pause));
        published.add(publishCampaign(agency, "created", stopped, Map.of("campaign_id", stopped, "agency_id", agency, "name", "s",
                "status", "active", "created_at", t0)));
        published.add(publishCampaign(agency, "created", removed, Map.of("campaign_id", removed, "agency_id", agency, "name", "x",
                "status", "draft", "created_at", t0)));
        published.add(publishCampaign(agency, "deleted", removed, Map.of("campaign_id", removed, "agency_id", agency, "name", "x",
                "status", "draft", "occurred_at", t0.plusSeconds(20))));
        producer.flush();

        // The campaigns' keys land on different partitions, so no single answer of the overview marks the end: wait
        // until the consumer's inbox holds every one of these events.
        Await.until("campaign events applied", Duration.ofSeconds(30), () -> appliedCount(published) == published.size());
        var campaigns = given().auth().oauth2(token(agency)).get("/api/v1/analytics/overview")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(2, campaigns.getInt("overview.campaigns.total"));
        assertEquals(1, campaigns.getInt("overview.campaigns.active"));
        assertEquals(1, campaigns.getInt("overview.campaigns.inactive"));
    }

    private String publishCampaign(String agency, String action, UUID campaignId, Map<String, Object> data)
            throws Exception {
        String eventId = UUID.randomUUID().toString();
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.CAMPAIGN_EVENTS, campaignId.toString(),
                EventJson.write(data));
        record.headers().add(CloudEventHeaders.ID, eventId.getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.TYPE, ("leadforge.campaign." + action + ".v1").getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.SOURCE, "/test".getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.AGENCY_ID, agency.getBytes(StandardCharsets.UTF_8));
        producer.send(record).get();
        return eventId;
    }

    /** How many of these events the overview consumer has applied (its inbox), whatever partition they went to. */
    private int appliedCount(List<String> eventIds) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement count = connection.prepareStatement(
                        "select count(*) from processed_event where consumer = 'analytics.overview'"
                                + " and event_id = any (?)")) {
            count.setArray(1, connection.createArrayOf("varchar", eventIds.toArray()));
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the inbox", e);
        }
    }

    @Test
    void overviewRejectsBadInputAndAnonymousCallers() {
        given().get("/api/v1/analytics/overview").then().statusCode(401);
        given().auth().oauth2(token(TestTokens.AGENCY_ACME)).get("/api/v1/analytics/overview?range=2w")
                .then().statusCode(400).contentType("application/problem+json");
    }

    private long leadsTotal(String agency) {
        return given().auth().oauth2(token(agency)).get("/api/v1/analytics/overview")
                .then().statusCode(200).extract().<Integer>path("overview.leads.total");
    }

    private void publishSnapshot(String agency, String action, LeadSnapshot lead) throws Exception {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.LEAD_EVENTS, lead.leadId().toString(),
                EventJson.write(Map.of("lead", lead)));
        record.headers().add(CloudEventHeaders.ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.TYPE, ("leadforge.lead." + action + ".v1").getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.SOURCE, "/test".getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.AGENCY_ID, agency.getBytes(StandardCharsets.UTF_8));
        producer.send(record).get();
    }

    private static String token(String agency) {
        return TestTokens.user("viewer").agency(agency).roles("client").sign();
    }

    private void publishLeadCreated(String agency, String eventId) throws Exception {
        producer.send(leadCreated(agency, eventId)).get();
    }

    private static ProducerRecord<String, String> leadCreated(String agency, String eventId) {
        UUID leadId = UUID.randomUUID();
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.LEAD_EVENTS, leadId.toString(),
                EventJson.write(new LeadCreatedEvent(leadId, agency, null, "new", "pending", "test", "tester",
                        Instant.now())));
        record.headers().add(CloudEventHeaders.SPEC_VERSION, "1.0".getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.ID, eventId.getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.TYPE, "leadforge.lead.created.v1".getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.SOURCE, "/test".getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.AGENCY_ID, agency.getBytes(StandardCharsets.UTF_8));
        return record;
    }
}
