package com.leadforge.analytics.events;

import static io.restassured.RestAssured.given;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

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
import com.leadforge.shared.inbox.DeadLetters;
import com.leadforge.testsupport.Await;
import com.leadforge.testsupport.RealInfrastructure;
import com.leadforge.testsupport.TestTokens;
import com.leadforge.testsupport.TopicProbe;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The shared ReliableConsumer under faults, against the real broker and database: a database whose connections are
 * killed again and again loses nothing and dead-letters nothing; poison is dead-lettered with reason and origin;
 * a dead letter re-driven after a fix is applied exactly once, however often the re-drive runs.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = {
        @ResourceArg(name = "database", value = "analytics"),
        @ResourceArg(name = "topics", value = Topics.LEAD_EVENTS + "," + Topics.CAMPAIGN_EVENTS + "," + Topics.SCRAPING_EVENTS) })
class ConsumerFaultTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    String user;
    @ConfigProperty(name = "quarkus.datasource.password")
    String password;

    KafkaProducer<String, String> producer;

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
    void databaseConnectionsKilledWhileEventsFlowLoseNothingAndDeadLetterNothing() throws Exception {
        String agency = UUID.randomUUID().toString();
        int events = 60;
        AtomicBoolean killing = new AtomicBoolean(true);
        AtomicInteger kills = new AtomicInteger();
        AtomicInteger terminated = new AtomicInteger();
        Thread killer = new Thread(() -> {
            while (killing.get()) {
                try (Connection admin = DriverManager.getConnection(jdbcUrl, user, password);
                        Statement statement = admin.createStatement();
                        ResultSet result = statement.executeQuery("""
                                select count(*) filter (where pg_terminate_backend(pid)) from pg_stat_activity
                                where datname = current_database() and pid <> pg_backend_pid()
                                  and usename = current_user""")) {
                    result.next();
                    terminated.addAndGet(result.getInt(1));
                    kills.incrementAndGet();
                } catch (Exception e) {
                    // The killer's own connection may be refused while the pool reconnects: try again.
                }
                Await.pause(Duration.ofMillis(150));
            }
        }, "connection-killer");
        killer.start();
        try {
            for (int i = 0; i < events; i++) {
                publishCreated(agency, UUID.randomUUID());
                Await.pause(Duration.ofMillis(50));
            }
            producer.flush();
            // Keep killing until the service has been hit while it applied the tail of the burst.
            Await.until("connections terminated at least 20 times", Duration.ofSeconds(30),
                    () -> kills.get() >= 20 && terminated.get() > 0);
        } finally {
            killing.set(false);
            killer.join(10_000);
        }
        Await.until(events + " leads counted", Duration.ofSeconds(90), () -> leadsTotal(agency) == events);
        List<ConsumerRecord<String, String>> deadLettered;
        try (TopicProbe dlq = new TopicProbe(bootstrapServers, Topics.deadLetterOf(Topics.LEAD_EVENTS))) {
            deadLettered = dlq.readToEnd(r -> agency.equals(TopicProbe.header(r, CloudEventHeaders.AGENCY_ID)),
                    Duration.ofSeconds(30));
        }
        System.out.printf("ConsumerFaultTest: %d events, %d kill rounds terminating %d connections, applied %d, "
                + "dead-lettered %d%n", events, kills.get(), terminated.get(), leadsTotal(agency), deadLettered.size());
        assertEquals(events, leadsTotal(agency), "every event applied exactly once");
        assertEquals(0, deadLettered.size(), "a database fault is never poison");
    }

    @Test
    void poisonIsDeadLetteredWithReasonAndOriginAndConsumptionContinues() throws Exception {
        String agency = UUID.randomUUID().toString();
        ProducerRecord<String, String> futureVersion = snapshotRecord(agency, UUID.randomUUID(), "created");
        futureVersion = new ProducerRecord<>(futureVersion.topic(), null, futureVersion.key(), futureVersion.value(),
                futureVersion.headers());
        futureVersion.headers().remove(CloudEventHeaders.TYPE);
        futureVersion.headers().add(CloudEventHeaders.TYPE, "leadforge.lead.created.v9".getBytes(UTF_8));
        String poisonId = header(futureVersion, CloudEventHeaders.ID);
        var sent = producer.send(futureVersion).get();
        publishCreated(agency, UUID.randomUUID());

        try (TopicProbe dlq = new TopicProbe(bootstrapServers, Topics.deadLetterOf(Topics.LEAD_EVENTS))) {
            ConsumerRecord<String, String> dead = dlq.await(
                    r -> poisonId.equals(TopicProbe.header(r, CloudEventHeaders.ID)), Duration.ofSeconds(30));
            assertTrue(TopicProbe.header(dead, DeadLetters.REASON).contains("leadforge.lead.created.v9"),
                    TopicProbe.header(dead, DeadLetters.REASON));
            assertEquals("analytics.overview", TopicProbe.header(dead, DeadLetters.CONSUMER));
            assertEquals(Topics.LEAD_EVENTS, TopicProbe.header(dead, DeadLetters.ORIGINAL_TOPIC));
            assertEquals(String.valueOf(sent.partition()), TopicProbe.header(dead, DeadLetters.ORIGINAL_PARTITION));
            assertEquals(String.valueOf(sent.offset()), TopicProbe.header(dead, DeadLetters.ORIGINAL_OFFSET));
            assertNotNull(Instant.parse(TopicProbe.header(dead, DeadLetters.FAILED_AT)));
            assertEquals(futureVersion.value(), dead.value(), "the record itself travels unchanged");
        }
        Await.until("the event after the poison one is applied", Duration.ofSeconds(30),
                () -> leadsTotal(agency) == 1);
    }

    @Test
    void deadLettersAreRedrivenOnceAfterAFixHoweverOftenTheRedriveRuns() throws Exception {
        String agency = UUID.randomUUID().toString();
        // What an earlier, buggy version of this consumer left on the dead-letter topic: a valid event.
        ProducerRecord<String, String> valid = snapshotRecord(agency, UUID.randomUUID(), "created");
        ProducerRecord<String, String> ours = deadLetter(valid, "analytics.overview");
        // Another service's consumer shares the topic: its dead letters are not ours to apply.
        ProducerRecord<String, String> theirs = deadLetter(snapshotRecord(agency, UUID.randomUUID(), "created"),
                "campaign.counters");
        producer.send(ours).get();
        producer.send(theirs).get();

        Map<String, Object> first = redrive();
        Await.until("the re-driven event is applied", Duration.ofSeconds(10), () -> leadsTotal(agency) == 1);
        Map<String, Object> second = redrive();
        System.out.printf("ConsumerFaultTest re-drive: first %s, second %s%n", first, second);

        assertTrue(((Number) first.get("applied")).intValue() >= 1, "first run applies our dead letter: " + first);
        assertTrue(((Number) first.get("other_consumers")).intValue() >= 1, "the other consumer's is left: " + first);
        assertEquals(0, ((Number) second.get("applied")).intValue(), "a second run applies nothing again: " + second);
        assertTrue(((Number) second.get("already_applied")).intValue() >= 1, second.toString());
        assertEquals(1, leadsTotal(agency), "applied exactly once");
        given().auth().oauth2(TestTokens.token(TestTokens.AGENCY_ACME, "agency_admin"))
                .post("/admin/dead-letters/redrive").then().statusCode(403);
    }

    private Map<String, Object> redrive() {
        String body = given()
                .auth().oauth2(TestTokens.user("operator").roles("super_admin").sign())
                .post("/admin/dead-letters/redrive")
                .then().statusCode(200).contentType("application/json").extract().asString();
        List<Map<String, Object>> results = io.restassured.path.json.JsonPath.from(body).getList("results");
        return results.stream()
                // One result per consumer and dead-letter topic: the overview's, which these dead letters name.
                .filter(r -> Topics.deadLetterOf(Topics.LEAD_EVENTS).equals(r.get("dead_letter_topic"))
                        && "analytics.overview".equals(r.get("consumer")))
                .findFirst().orElseThrow(() -> new AssertionError("no result for the lead-events DLQ in " + body));
    }

    private static ProducerRecord<String, String> deadLetter(ProducerRecord<String, String> original, String consumer) {
        ProducerRecord<String, String> dead = new ProducerRecord<>(Topics.deadLetterOf(original.topic()), null,
                original.key(), original.value(), original.headers());
        dead.headers().add(DeadLetters.REASON, "NullPointerException (a bug since fixed)".getBytes(UTF_8));
        dead.headers().add(DeadLetters.CONSUMER, consumer.getBytes(UTF_8));
        dead.headers().add(DeadLetters.ORIGINAL_TOPIC, original.topic().getBytes(UTF_8));
        dead.headers().add(DeadLetters.FAILED_AT, Instant.now().toString().getBytes(UTF_8));
        return dead;
    }

    private void publishCreated(String agency, UUID leadId) throws Exception {
        producer.send(snapshotRecord(agency, leadId, "created"));
    }

    private static ProducerRecord<String, String> snapshotRecord(String agency, UUID leadId, String action) {
        LeadSnapshot lead = new LeadSnapshot(leadId, agency, null, "new", "pending", false, false, false, 1,
                Instant.now());
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.LEAD_EVENTS, leadId.toString(),
                EventJson.write(Map.of("lead", lead, "created_at", Instant.now())));
        record.headers().add(CloudEventHeaders.ID, UUID.randomUUID().toString().getBytes(UTF_8));
        record.headers().add(CloudEventHeaders.TYPE, ("leadforge.lead." + action + ".v1").getBytes(UTF_8));
        record.headers().add(CloudEventHeaders.SOURCE, "/test".getBytes(UTF_8));
        record.headers().add(CloudEventHeaders.AGENCY_ID, agency.getBytes(UTF_8));
        return record;
    }

    private static String header(ProducerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), UTF_8);
    }

    /** The agency's lead total, or -1 while the service answers 503 (its database connections were just killed). */
    private long leadsTotal(String agency) {
        var response = given().auth().oauth2(TestTokens.user("viewer").agency(agency).roles("client").sign())
                .get("/api/v1/analytics/overview");
        if (response.statusCode() == 503) {
            return -1;
        }
        return response.then().statusCode(200).extract().<Integer>path("overview.leads.total");
    }
}
