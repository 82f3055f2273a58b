package com.leadforge.lead.tracing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.leadforge.lead.LeadApi;
import com.leadforge.shared.events.CloudEventHeaders;
import com.leadforge.shared.events.EventJson;
import com.leadforge.shared.events.EventType;
import com.leadforge.shared.events.ScrapedRecord;
import com.leadforge.shared.events.ScrapedRecordsEvent;
import com.leadforge.shared.events.Topics;
import com.leadforge.shared.inbox.DeadLetters;
import com.leadforge.testsupport.RealInfrastructure;
import com.leadforge.testsupport.RecordedSpans;
import com.leadforge.testsupport.TopicProbe;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;

/**
 * One trace from a request to the events it causes and from an event to the work it causes: the outbox row keeps the
 * writing request's context, the relay's PRODUCER span is its child and travels on the record beside the CloudEvents
 * headers; a consumed event's CONSUMER span is the child of its producer's, its JDBC statements are children of it,
 * and the events it writes continue the same trace. A dead-lettered record keeps its trace headers.
 */
@QuarkusTest
@TestProfile(TracingOn.class)
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = {
        @ResourceArg(name = "database", value = "leads"),
        @ResourceArg(name = "topics", value = LeadApi.TEST_TOPICS) })
class TraceThroughOutboxAndConsumerTest {

    @Inject
    InMemorySpanExporter exporter;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    String dbUser;
    @ConfigProperty(name = "quarkus.datasource.password")
    String dbPassword;

    RecordedSpans spans;

    @BeforeEach
    void spans() {
        spans = new RecordedSpans(exporter);
    }

    @Test
    void aRequestsTraceIsStoredWithItsEventAndPublishedAsTheRecordsParent() throws Exception {
        String traceId = randomHex(16);
        String callerSpan = randomHex(8);
        String leadId = LeadApi.researcher().header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                .contentType(ContentType.JSON)
                .body("{\"first_name\":\"Trace\",\"email\":\"trace." + LeadApi.unique() + "@example.com\"}")
                .when().post("/api/v1/leads")
                .then().statusCode(201).extract().path("id");

        SpanData server = spans.await("lead-service's server span, child of the caller's",
                span -> span.getKind() == SpanKind.SERVER && span.getTraceId().equals(traceId)
                        && span.getParentSpanId().equals(callerSpan));
        String stored = storedTraceparent(leadId);
        assertNotNull(stored, "the outbox row keeps the request's trace context");
        assertEquals("00-" + traceId + "-" + server.getSpanId() + "-01", stored,
                "the row names the request's server span as the parent of its publication");
        assertTrue(spans.all().stream().anyMatch(span -> span.getKind() == SpanKind.CLIENT
                && span.getParentSpanId().equals(server.getSpanId())),
                "the request's statements are children of its server span:\n" + RecordedSpans.describe(spans.all()));

        try (TopicProbe probe = new TopicProbe(bootstrap, Topics.LEAD_EVENTS)) {
            ConsumerRecord<String, String> record = probe.await(r -> leadId.equals(r.key())
                    && "leadforge.lead.created.v1".equals(TopicProbe.header(r, CloudEventHeaders.TYPE)),
                    Duration.ofSeconds(30));
            String traceparent = TopicProbe.header(record, "traceparent");
            assertNotNull(traceparent, "the record carries the trace context beside ce_* headers");
            assertNotNull(TopicProbe.header(record, CloudEventHeaders.ID));
            String[] parts = traceparent.split("-");
            assertEquals(traceId, parts[1]);
            SpanData send = spans.await("the relay's send span", span -> span.getSpanId().equals(parts[2]));
            assertEquals(SpanKind.PRODUCER, send.getKind());
            assertEquals("send " + Topics.LEAD_EVENTS, send.getName());
            assertEquals(server.getSpanId(), send.getParentSpanId(), "published as a child of the writing request");
            System.out.printf("TraceThroughOutboxAndConsumerTest: trace %s: caller %s -> server %s -> outbox row -> "
                    + "send %s -> record traceparent %s%n", traceId, callerSpan, server.getSpanId(), send.getSpanId(),
                    traceparent);
        }
    }

    @Test
    void aConsumedEventRunsInAConsumerSpanAndTheEventsItWritesContinueTheTrace() throws Exception {
        String traceId = randomHex(16);
        String producerSpan = randomHex(8);
        UUID jobId = UUID.randomUUID();
        String email = "imported." + LeadApi.unique() + "@example.com";
        ScrapedRecordsEvent batch = new ScrapedRecordsEvent(jobId, LeadApi.ACME, UUID.randomUUID(), "csv", null, 1,
                "job-runner", List.of(new ScrapedRecord(1, "Traced", "Import", email, null, null, null, null, null)));
        publishScraped(EventJson.write(batch), jobId, "00-" + traceId + "-" + producerSpan + "-01");

        SpanData consumer = spans.await("the import's consumer span, child of the producer's",
                RecordedSpans.named("process " + Topics.SCRAPING_EVENTS, SpanKind.CONSUMER)
                        .and(RecordedSpans.childOf(traceId, producerSpan)));
        assertEquals("applied", consumer.getAttributes().asMap().entrySet().stream()
                .filter(e -> e.getKey().getKey().equals("leadforge.consumer.outcome")).findFirst()
                .map(e -> e.getValue().toString()).orElse(null));
        spans.await("a statement of the import, child of the consumer span",
                span -> span.getKind() == SpanKind.CLIENT && span.getParentSpanId().equals(consumer.getSpanId()));

        try (TopicProbe probe = new TopicProbe(bootstrap, Topics.LEAD_EVENTS)) {
            ConsumerRecord<String, String> result = probe.await(r -> jobId.toString().equals(r.key())
                    && EventType.LEAD_IMPORT_BATCH_IMPORTED.type().equals(TopicProbe.header(r, CloudEventHeaders.TYPE)),
                    Duration.ofSeconds(60));
            String[] parts = TopicProbe.header(result, "traceparent").split("-");
            assertEquals(traceId, parts[1], "the import's own event continues the trace");
            SpanData send = spans.await("the send of the import's result", span -> span.getSpanId().equals(parts[2]));
            assertEquals(consumer.getSpanId(), send.getParentSpanId(), "written inside the consumer span");
        }
    }

    @Test
    void aDeadLetteredRecordKeepsItsTraceHeadersAndItsTraceShowsTheRefusal() {
        String traceId = randomHex(16);
        String producerSpan = randomHex(8);
        String traceparent = "00-" + traceId + "-" + producerSpan + "-01";
        UUID jobId = UUID.randomUUID();
        publishScraped("{\"agency_id\":\"" + LeadApi.ACME + "\",\"batch_seq\":1,\"records\":[]}", jobId, traceparent);

        try (TopicProbe dlq = new TopicProbe(bootstrap, Topics.deadLetterOf(Topics.SCRAPING_EVENTS))) {
            ConsumerRecord<String, String> dead = dlq.await(r -> jobId.toString().equals(r.key()),
                    Duration.ofSeconds(60));
            assertEquals(traceparent, TopicProbe.header(dead, "traceparent"));
            assertNotNull(TopicProbe.header(dead, DeadLetters.REASON));
        }
        SpanData refused = spans.await("the refused attempt's span",
                RecordedSpans.named("process " + Topics.SCRAPING_EVENTS, SpanKind.CONSUMER)
                        .and(RecordedSpans.childOf(traceId, producerSpan)));
        assertEquals(StatusCode.ERROR, refused.getStatus().getStatusCode());
    }

    @Test
    void pollingAndHousekeepingLeaveNoRootSpans() {
        Instant since = Instant.now();
        // The relay polls every 0.2 s here; give it a few rounds with nothing to do, then one event to publish.
        LeadApi.createNamed("Quiet", LeadApi.unique(), "");
        spans.await("the relay's send span", RecordedSpans.named("send " + Topics.LEAD_EVENTS, SpanKind.PRODUCER)
                .and(span -> span.getStartEpochNanos() > since.toEpochMilli() * 1_000_000));
        List<SpanData> rootStatements = spans.all().stream()
                .filter(span -> span.getStartEpochNanos() > since.toEpochMilli() * 1_000_000)
                .filter(span -> span.getKind() == SpanKind.CLIENT && !span.getParentSpanContext().isValid())
                .toList();
        assertTrue(rootStatements.isEmpty(), "statements outside any request or event:\n"
                + RecordedSpans.describe(rootStatements));
    }

    private void publishScraped(String data, UUID jobId, String traceparent) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            ProducerRecord<String, String> record = new ProducerRecord<>(Topics.SCRAPING_EVENTS, jobId.toString(),
                    data);
            record.headers().add(CloudEventHeaders.ID, UUID.randomUUID().toString().getBytes(UTF_8));
            record.headers().add(CloudEventHeaders.TYPE, EventType.SCRAPING_JOB_RECORDS_SCRAPED.type().getBytes(UTF_8));
            record.headers().add(CloudEventHeaders.SOURCE, "/leadforge/scraping-service".getBytes(UTF_8));
            record.headers().add(CloudEventHeaders.AGENCY_ID, LeadApi.ACME.getBytes(UTF_8));
            record.headers().add(CloudEventHeaders.ACTOR, "job-runner".getBytes(UTF_8));
            record.headers().add("traceparent", traceparent.getBytes(UTF_8));
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("Could not publish", e);
        }
    }

    private String storedTraceparent(String leadId) throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword);
                PreparedStatement statement = connection.prepareStatement(
                        "select traceparent from outbox_event where aggregate_id = ? and event_type = ?")) {
            statement.setString(1, leadId);
            statement.setString(2, "leadforge.lead.created.v1");
            try (ResultSet rows = statement.executeQuery()) {
                assertTrue(rows.next(), "the lead's outbox row");
                return rows.getString(1);
            }
        }
    }

    private static String randomHex(int bytes) {
        byte[] value = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(value);
        value[0] |= 1; // never all zeros (an invalid id)
        return HexFormat.of().formatHex(value);
    }
}
