package com.leadforge.analytics.report;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import javax.sql.DataSource;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import com.leadforge.shared.events.CampaignClientGrantedEvent;
import com.leadforge.shared.events.CampaignClientRevokedEvent;
import com.leadforge.shared.events.CampaignCreatedEvent;
import com.leadforge.shared.events.CloudEventHeaders;
import com.leadforge.shared.events.EventJson;
import com.leadforge.shared.events.LeadCreatedEvent;
import com.leadforge.shared.events.LeadSnapshot;
import com.leadforge.shared.events.ScrapingJobEvent;
import com.leadforge.shared.events.Topics;
import com.leadforge.testsupport.Await;

/**
 * A known history of one agency's events, written as the services write them (CloudEvents headers, snake_case data,
 * key = aggregate id), then published to the real broker in order, or shuffled with every event delivered twice, and
 * waited for until the consumer's inbox holds every one.
 */
final class EventHistory {

    final String agency;
    private final List<ProducerRecord<String, String>> records = new ArrayList<>();

    EventHistory(String agency) {
        this.agency = agency;
    }

    /** A lead's life: its creation, then each later state, with strictly increasing versions. */
    final class Lead {
        final UUID id = UUID.randomUUID();
        private final UUID campaign;
        private long version;

        private Lead(UUID campaign) {
            this.campaign = campaign;
        }

        Lead update(String status, String qualification, boolean contacted, boolean responded, Instant at) {
            snapshot("updated", new LeadSnapshot(id, agency, campaign, status, qualification, contacted, responded,
                    false, ++version, at));
            return this;
        }

        Lead delete(Instant at) {
            snapshot("deleted", new LeadSnapshot(id, agency, campaign, "new", "pending", false, false, true,
                    ++version, at));
            return this;
        }

        private void snapshot(String action, LeadSnapshot lead) {
            add(Topics.LEAD_EVENTS, "leadforge.lead." + action + ".v1", id, Map.of("lead", lead));
        }
    }

    Lead lead(UUID campaign, String source, Instant createdAt) {
        Lead lead = new Lead(campaign);
        LeadSnapshot snapshot = new LeadSnapshot(lead.id, agency, campaign, "new", "pending", false, false, false, 0,
                createdAt);
        add(Topics.LEAD_EVENTS, "leadforge.lead.created.v1", lead.id, new LeadCreatedEvent(lead.id, agency, campaign,
                "new", "pending", source, "tester", createdAt, snapshot));
        return lead;
    }

    UUID campaign(String name, Instant createdAt) {
        UUID id = UUID.randomUUID();
        add(Topics.CAMPAIGN_EVENTS, "leadforge.campaign.created.v1", id, new CampaignCreatedEvent(id, agency, name,
                "active", "tester", createdAt));
        return id;
    }

    void grant(UUID campaign, String userId, long version) {
        add(Topics.CAMPAIGN_EVENTS, "leadforge.campaign.client_granted.v1", campaign,
                new CampaignClientGrantedEvent(campaign, agency, userId, version, "tester", Instant.now()));
    }

    void revoke(UUID campaign, String userId, long version) {
        add(Topics.CAMPAIGN_EVENTS, "leadforge.campaign.client_revoked.v1", campaign,
                new CampaignClientRevokedEvent(campaign, agency, userId, version, "revoked", "tester", Instant.now()));
    }

    UUID job(String status, int progress, long processed, long imported, Instant at) {
        UUID id = UUID.randomUUID();
        jobEvent(id, "created", "pending", 0, 0, 0, at.minusSeconds(60));
        jobEvent(id, status.equals("completed") ? "completed" : "progressed", status, progress, processed, imported,
                at);
        return id;
    }

    private void jobEvent(UUID id, String action, String status, int progress, long processed, long imported,
            Instant at) {
        add(Topics.SCRAPING_EVENTS, "leadforge.scraping_job." + action + ".v1", id, new ScrapingJobEvent(id, agency,
                UUID.randomUUID(), "csv", null, status, progress, processed, imported, 0, processed - imported, 0,
                null, "tester", at));
    }

    private void add(String topic, String type, UUID key, Object data) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key.toString(), EventJson.write(data));
        record.headers().add(CloudEventHeaders.SPEC_VERSION, "1.0".getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.TYPE, type.getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.SOURCE, "/test".getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.AGENCY_ID, agency.getBytes(StandardCharsets.UTF_8));
        records.add(record);
    }

    /** Publishes the history in the order it was written. */
    void publishInOrder(String bootstrapServers, DataSource database) {
        publish(bootstrapServers, database, records);
    }

    /**
     * Publishes every event twice (the second delivery is the same event id), the whole lot in a random order: a lead's
     * deletion may come before its creation, a grant after its revoke.
     */
    void publishShuffledTwice(String bootstrapServers, DataSource database, long seed) {
        List<ProducerRecord<String, String>> twice = new ArrayList<>(records);
        twice.addAll(records);
        Collections.shuffle(twice, new Random(seed));
        publish(bootstrapServers, database, twice);
    }

    private void publish(String bootstrapServers, DataSource database, List<ProducerRecord<String, String>> batch) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            // One at a time, acknowledged: the shuffled order is the order the broker holds them in.
            for (ProducerRecord<String, String> record : batch) {
                producer.send(record).get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("Could not publish the history", e);
        }
        List<String> ids = records.stream()
                .map(r -> new String(r.headers().lastHeader(CloudEventHeaders.ID).value(), StandardCharsets.UTF_8))
                .toList();
        Await.until("every event of agency " + agency + " applied", Duration.ofSeconds(60),
                () -> applied(database, ids) == ids.size());
    }

    private static int applied(DataSource database, List<String> ids) {
        try (Connection connection = database.getConnection();
                PreparedStatement count = connection.prepareStatement(
                        "select count(*) from processed_event where consumer = 'analytics.overview' and event_id = any (?)")) {
            count.setArray(1, connection.createArrayOf("varchar", ids.toArray()));
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the inbox", e);
        }
    }
}
