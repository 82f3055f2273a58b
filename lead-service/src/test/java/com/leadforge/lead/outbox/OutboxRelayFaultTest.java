package com.leadforge.lead.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.leadforge.lead.LeadApi;
import com.leadforge.shared.events.CloudEventHeaders;
import com.leadforge.shared.events.Topics;
import com.leadforge.shared.outbox.RetentionPurge;
import com.leadforge.testsupport.Await;
import com.leadforge.testsupport.TopicProbe;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The outbox relay when the broker refuses a row: the row backs off and is parked after its bound, rows of other
 * aggregates keep flowing, later rows of its own aggregate wait (order is never broken), and nothing already
 * acknowledged is sent again. Retention removes published rows and old processed-event ids, never pending ones.
 */
@QuarkusTest
class OutboxRelayFaultTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    String user;
    @ConfigProperty(name = "quarkus.datasource.password")
    String password;

    @Inject
    RetentionPurge purge;

    @Test
    void aRowTheBrokerRefusesIsParkedWithoutHoldingOtherAggregatesBack() throws Exception {
        String stuckAggregate = UUID.randomUUID().toString();
        UUID refused = insertRow(stuckAggregate, "leadforge.no-such-topic", null);
        UUID waiting = insertRow(stuckAggregate, Topics.LEAD_EVENTS, null);

        // Another aggregate's event, written while the refused row is being retried, goes out at once.
        String lead = LeadApi.createNamed("Flowing", LeadApi.unique(), "");
        try (TopicProbe topic = new TopicProbe(bootstrapServers, Topics.LEAD_EVENTS)) {
            topic.await(r -> lead.equals(r.key()), Duration.ofSeconds(30));

            Await.until("the refused row parked", Duration.ofSeconds(60), () -> parkedAt(refused) != null);
            assertTrue(attempts(refused) >= 2, "retried before it was parked");
            assertTrue(lastError(refused).contains("no-such-topic"), lastError(refused));
            assertNull(publishedAt(waiting), "a later row of the same aggregate waits for the parked one");

            // Nothing acknowledged is sent again while the relay keeps retrying: the lead's event went out once.
            long copies = topic.readToEnd(r -> lead.equals(r.key())
                    && "leadforge.lead.created.v1".equals(TopicProbe.header(r, CloudEventHeaders.TYPE)),
                    Duration.ofSeconds(30)).size();
            System.out.printf("OutboxRelayFaultTest: refused row parked after %d attempts (%s); other aggregate "
                    + "published %d time(s); same-aggregate row still waiting%n", attempts(refused), lastError(refused),
                    copies);
            assertEquals(1, copies);
        }
        // An operator fixes the cause by releasing the row; here the row is pointed at a real topic.
        execute("update outbox_event set parked_at = null, next_attempt_at = null, topic = ? where id = ?",
                Topics.LEAD_EVENTS, refused);
        Await.until("released row and the one waiting behind it published", Duration.ofSeconds(30),
                () -> publishedAt(refused) != null && publishedAt(waiting) != null);
        assertTrue(!publishedAt(waiting).isBefore(publishedAt(refused)), "in sequence order");
    }

    @Test
    void retentionPurgesPublishedRowsAndOldInboxIdsButNeverPendingRows() throws Exception {
        String aggregate = UUID.randomUUID().toString();
        UUID oldPublished = insertRow(aggregate, Topics.LEAD_EVENTS, Instant.now().minus(Duration.ofDays(8)));
        UUID recentPublished = insertRow(aggregate, Topics.LEAD_EVENTS, Instant.now().minus(Duration.ofDays(1)));
        UUID pendingParked = insertRow(UUID.randomUUID().toString(), Topics.LEAD_EVENTS, null);
        execute("update outbox_event set created_at = now() - interval '30 days', parked_at = now() where id = ?",
                pendingParked);
        String oldEventId = "old-" + UUID.randomUUID();
        String newEventId = "new-" + UUID.randomUUID();
        execute("insert into processed_event (consumer, event_id, processed_at) values "
                + "('test', ?, now() - interval '40 days'), ('test', ?, now())", oldEventId, newEventId);

        int outbox = purge.purgeOutbox();
        int inbox = purge.purgeInbox();

        assertTrue(outbox >= 1 && inbox >= 1, "purged " + outbox + " outbox rows and " + inbox + " inbox ids");
        assertEquals(0, count("select count(*) from outbox_event where id = ?", oldPublished));
        assertEquals(1, count("select count(*) from outbox_event where id = ?", recentPublished));
        assertEquals(1, count("select count(*) from outbox_event where id = ?", pendingParked));
        assertEquals(0, count("select count(*) from processed_event where event_id = ?", oldEventId));
        assertEquals(1, count("select count(*) from processed_event where event_id = ?", newEventId));
    }

    private UUID insertRow(String aggregateId, String topic, Instant publishedAt) throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection connection = connect(); PreparedStatement insert = connection.prepareStatement("""
                insert into outbox_event (id, agency_id, aggregate_type, aggregate_id, event_type, topic, actor,
                                          payload, created_at, published_at, attempts)
                values (?, ?, 'lead', ?, 'leadforge.lead.updated.v1', ?, 'test', '{}'::jsonb, now(), ?, 0)""")) {
            insert.setObject(1, id);
            insert.setString(2, LeadApi.ACME);
            insert.setString(3, aggregateId);
            insert.setString(4, topic);
            insert.setTimestamp(5, publishedAt == null ? null : Timestamp.from(publishedAt));
            insert.executeUpdate();
        }
        return id;
    }

    private Instant parkedAt(UUID id) {
        return instant("parked_at", id);
    }

    private Instant publishedAt(UUID id) {
        return instant("published_at", id);
    }

    private Instant instant(String column, UUID id) {
        try (Connection connection = connect();
                PreparedStatement query = connection.prepareStatement(
                        "select " + column + " from outbox_event where id = ?")) {
            query.setObject(1, id);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                Timestamp value = result.getTimestamp(1);
                return value == null ? null : value.toInstant();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private int attempts(UUID id) throws SQLException {
        return count("select attempts from outbox_event where id = ?", id);
    }

    private String lastError(UUID id) throws SQLException {
        try (Connection connection = connect();
                PreparedStatement query = connection.prepareStatement("select last_error from outbox_event where id = ?")) {
            query.setObject(1, id);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return String.valueOf(result.getString(1));
            }
        }
    }

    private int count(String sql, Object parameter) throws SQLException {
        try (Connection connection = connect(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setObject(1, parameter);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getInt(1);
            }
        }
    }

    private void execute(String sql, Object... parameters) throws SQLException {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }
}
