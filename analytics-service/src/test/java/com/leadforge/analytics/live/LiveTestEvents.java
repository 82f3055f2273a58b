package com.leadforge.analytics.live;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import com.leadforge.shared.events.CloudEventHeaders;
import com.leadforge.shared.events.EventJson;
import com.leadforge.shared.events.EventType;
import com.leadforge.testsupport.Await;

import io.agroal.api.AgroalDataSource;

/** Publishes CloudEvents to the real broker and waits until the live-updates consumer applied them. */
final class LiveTestEvents implements AutoCloseable {

    private final KafkaProducer<String, String> producer;
    private final AgroalDataSource dataSource;

    LiveTestEvents(String bootstrapServers, AgroalDataSource dataSource) {
        this.dataSource = dataSource;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
    }

    /** Publishes {@code data} as a new event; returns its id. */
    String publish(String agency, EventType type, UUID key, Object data) {
        return publish(UUID.randomUUID().toString(), agency, type, key, data);
    }

    /** Publishes with a given event id: the same id twice is a redelivery. */
    String publish(String eventId, String agency, EventType type, UUID key, Object data) {
        ProducerRecord<String, String> record = new ProducerRecord<>(type.topic(), key.toString(),
                EventJson.write(data));
        record.headers().add(CloudEventHeaders.ID, eventId.getBytes(UTF_8));
        record.headers().add(CloudEventHeaders.TYPE, type.type().getBytes(UTF_8));
        record.headers().add(CloudEventHeaders.SOURCE, "/test".getBytes(UTF_8));
        record.headers().add(CloudEventHeaders.AGENCY_ID, agency.getBytes(UTF_8));
        try {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("Could not publish", e);
        }
        return eventId;
    }

    /** Waits until the live-updates consumer has applied every one of {@code eventIds}. */
    void awaitApplied(List<String> eventIds) {
        awaitApplied(LiveUpdatesHandler.CONSUMER, eventIds);
    }

    /** Waits until the read-model projection has applied every one of {@code eventIds} (client grants are its). */
    void awaitProjected(List<String> eventIds) {
        awaitApplied("analytics.overview", eventIds);
    }

    private void awaitApplied(String consumer, List<String> eventIds) {
        Await.until(consumer + " applied " + eventIds, Duration.ofSeconds(30),
                () -> applied(consumer, eventIds) == eventIds.stream().distinct().count());
    }

    private long applied(String consumer, List<String> eventIds) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement count = connection.prepareStatement(
                        "select count(*) from processed_event where consumer = ? and event_id = any (?)")) {
            count.setString(1, consumer);
            count.setArray(2, connection.createArrayOf("varchar", eventIds.toArray()));
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the inbox", e);
        }
    }

    /** Forgets that the consumer applied {@code eventId}, as the inbox retention purge eventually does. */
    void forget(String eventId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement(
                        "delete from processed_event where consumer = ? and event_id = ?")) {
            delete.setString(1, LiveUpdatesHandler.CONSUMER);
            delete.setString(2, eventId);
            delete.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
