package com.leadforge.analytics.overview;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import com.leadforge.shared.events.DataSourceChangedEvent;
import com.leadforge.shared.events.DataSourceCreatedEvent;
import com.leadforge.shared.events.EventJson;
import com.leadforge.shared.events.EventType;
import com.leadforge.shared.events.ScrapingJobEvent;
import com.leadforge.shared.events.Topics;
import com.leadforge.testsupport.Await;
import com.leadforge.testsupport.TestTokens;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The overview's data source and scraping figures follow scraping-service's events: newest state per data source and
 * per job wins, so an older event arriving late changes nothing, and counters move only by real state changes.
 */
@QuarkusTest
class ScrapingOverviewTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    AgroalDataSource dataSource;

    KafkaProducer<String, String> producer;
    final List<String> published = new ArrayList<>();

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
    void dataSourceAndJobEventsKeepTheScrapingFiguresExact() throws Exception {
        String agency = UUID.randomUUID().toString();
        UUID active = UUID.randomUUID();
        UUID removed = UUID.randomUUID();
        Instant t0 = Instant.now().minusSeconds(600);
        publish(agency, EventType.DATA_SOURCE_CREATED, active,
                new DataSourceCreatedEvent(active, agency, "a", "csv", "inactive", "u", t0));
        publish(agency, EventType.DATA_SOURCE_TESTED, active,
                new DataSourceChangedEvent(active, agency, "a", "csv", "active", null, true, "u", t0.plusSeconds(5)));
        // An older update arriving after the test: it must not make the source inactive again.
        publish(agency, EventType.DATA_SOURCE_UPDATED, active, new DataSourceChangedEvent(active, agency, "a", "csv",
                "inactive", List.of("name"), null, "u", t0.plusSeconds(2)));
        publish(agency, EventType.DATA_SOURCE_CREATED, removed,
                new DataSourceCreatedEvent(removed, agency, "r", "api", "inactive", "u", t0));
        publish(agency, EventType.DATA_SOURCE_DELETED, removed,
                new DataSourceChangedEvent(removed, agency, "r", "api", "inactive", null, null, "u", t0.plusSeconds(9)));

        UUID done = UUID.randomUUID();
        publishJob(agency, EventType.SCRAPING_JOB_CREATED, done, active, "pending", 0, t0.plusSeconds(10));
        publishJob(agency, EventType.SCRAPING_JOB_STARTED, done, active, "running", 0, t0.plusSeconds(11));
        publishJob(agency, EventType.SCRAPING_JOB_PROGRESSED, done, active, "running", 400, t0.plusSeconds(12));
        publishJob(agency, EventType.SCRAPING_JOB_COMPLETED, done, active, "completed", 1000, t0.plusSeconds(13));
        // Late progress from before the completion: ignored.
        publishJob(agency, EventType.SCRAPING_JOB_PROGRESSED, done, active, "running", 700, t0.plusSeconds(12));
        UUID failed = UUID.randomUUID();
        publishJob(agency, EventType.SCRAPING_JOB_CREATED, failed, active, "pending", 0, t0.plusSeconds(20));
        publishJob(agency, EventType.SCRAPING_JOB_STARTED, failed, active, "running", 0, t0.plusSeconds(21));
        publishJob(agency, EventType.SCRAPING_JOB_FAILED, failed, active, "failed", 30, t0.plusSeconds(22));
        UUID waiting = UUID.randomUUID();
        publishJob(agency, EventType.SCRAPING_JOB_CREATED, waiting, active, "pending", 0, t0.plusSeconds(30));
        UUID busy = UUID.randomUUID();
        publishJob(agency, EventType.SCRAPING_JOB_CREATED, busy, active, "pending", 0, t0.plusSeconds(40));
        publishJob(agency, EventType.SCRAPING_JOB_STARTED, busy, active, "running", 0, t0.plusSeconds(41));
        producer.flush();

        Await.until("scraping events applied", Duration.ofSeconds(30), () -> appliedCount() == published.size());
        var overview = given().auth().oauth2(TestTokens.token(agency, "agency_admin"))
                .get("/api/v1/analytics/overview").then().statusCode(200).extract().jsonPath();
        assertEquals(1, overview.getInt("overview.data_sources.total"), "the deleted source is gone");
        assertEquals(1, overview.getInt("overview.data_sources.active"), "the older update did not win");
        assertEquals(0, overview.getInt("overview.data_sources.inactive"));
        assertEquals(4, overview.getInt("overview.scraping.total_jobs"));
        assertEquals(1, overview.getInt("overview.scraping.successful_jobs"));
        assertEquals(1, overview.getInt("overview.scraping.running_jobs"));
        assertEquals(1, overview.getInt("overview.scraping.pending_jobs"));
        assertEquals(1030, overview.getInt("overview.scraping.total_records_scraped"));

        var other = given().auth().oauth2(TestTokens.token(UUID.randomUUID().toString(), "agency_admin"))
                .get("/api/v1/analytics/overview").then().statusCode(200).extract().jsonPath();
        assertEquals(0, other.getInt("overview.scraping.total_jobs"), "another agency sees none of it");
    }

    private void publishJob(String agency, EventType type, UUID job, UUID source, String status, long records,
            Instant at) throws Exception {
        publish(agency, type, job, new ScrapingJobEvent(job, agency, source, "csv", null, status, 0, records, records,
                0, 0, 0, null, "u", at));
    }

    private void publish(String agency, EventType type, UUID key, Object data) throws Exception {
        String id = UUID.randomUUID().toString();
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.SCRAPING_EVENTS, key.toString(),
                EventJson.write(data));
        record.headers().add(CloudEventHeaders.ID, id.getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.TYPE, type.type().getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.SOURCE, "/test".getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.AGENCY_ID, agency.getBytes(StandardCharsets.UTF_8));
        producer.send(record).get();
        published.add(id);
    }

    private int appliedCount() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement count = connection.prepareStatement(
                        "select count(*) from processed_event where consumer = 'analytics.overview'"
                                + " and event_id = any (?)")) {
            count.setArray(1, connection.createArrayOf("varchar", published.toArray()));
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the inbox", e);
        }
    }
}
