package com.leadforge.lead.campaign;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

import com.leadforge.shared.events.CloudEventHeaders;
import com.leadforge.shared.events.EventJson;
import com.leadforge.shared.events.Topics;
import com.leadforge.shared.tenancy.TenantContext;
import com.leadforge.testsupport.Await;

import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Publishes campaign events to the real broker exactly as campaign-service's outbox would, and waits until
 * lead-service's replica reflects them.
 */
public final class CampaignEvents {

    /** A new campaign of {@code agencyId} in {@code status}, known to lead-service when this returns. */
    public static UUID created(String agencyId, String status) {
        UUID id = UUID.randomUUID();
        publish(agencyId, id, "created", Map.of("campaign_id", id, "agency_id", agencyId, "name", "c-" + id,
                "status", status, "created_at", Instant.now()));
        awaitReplica(agencyId, id, status, false);
        return id;
    }

    /** Publishes a campaign's creation without waiting for the replica: for read-your-writes tests. */
    public static void publishCreated(String agencyId, UUID id, String status) {
        publish(agencyId, id, "created", Map.of("campaign_id", id, "agency_id", agencyId, "name", "c-" + id,
                "status", status, "created_at", Instant.now()));
    }

    public static void statusChanged(String agencyId, UUID id, String from, String to) {
        publish(agencyId, id, "status_changed", Map.of("campaign_id", id, "agency_id", agencyId, "old_status", from,
                "new_status", to, "occurred_at", Instant.now()));
        awaitReplica(agencyId, id, to, false);
    }

    public static void deleted(String agencyId, UUID id, String lastStatus) {
        publish(agencyId, id, "deleted", Map.of("campaign_id", id, "agency_id", agencyId, "name", "c-" + id,
                "status", lastStatus, "occurred_at", Instant.now()));
        awaitReplica(agencyId, id, lastStatus, true);
    }

    /** Shares the campaign with the client user {@code userId} at {@code version}; applied when this returns. */
    public static void granted(String agencyId, UUID campaignId, String userId, long version) {
        publishGranted(agencyId, campaignId, userId, version);
        awaitGrant(agencyId, campaignId, userId, version);
    }

    /** Ends the client user's grant at {@code version}; applied when this returns. */
    public static void revoked(String agencyId, UUID campaignId, String userId, long version) {
        publishRevoked(agencyId, campaignId, userId, version);
        awaitGrant(agencyId, campaignId, userId, version);
    }

    /** A grant event without waiting: for events that must lose against a newer one (order tests). */
    public static void publishGranted(String agencyId, UUID campaignId, String userId, long version) {
        publish(agencyId, campaignId, "client_granted", Map.of("campaign_id", campaignId, "agency_id", agencyId,
                "user_id", userId, "version", version, "actor", "admin", "occurred_at", Instant.now()));
    }

    public static void publishRevoked(String agencyId, UUID campaignId, String userId, long version) {
        publish(agencyId, campaignId, "client_revoked", Map.of("campaign_id", campaignId, "agency_id", agencyId,
                "user_id", userId, "version", version, "reason", "revoked", "actor", "admin",
                "occurred_at", Instant.now()));
    }

    /** lead-service's copy of one grant, as it stands (empty when no event about it was applied). */
    public static java.util.Optional<ClientCampaignGrant> grant(String agencyId, UUID campaignId, String userId) {
        var requestContext = Arc.container().requestContext();
        requestContext.activate();
        try {
            Arc.container().instance(TenantContext.class).get().enter(agencyId, "test");
            return QuarkusTransaction.requiringNew().call(() -> ClientCampaignGrant.<ClientCampaignGrant>find(
                    "id", new ClientCampaignGrant.Key(userId, campaignId)).firstResultOptional());
        } finally {
            requestContext.terminate();
        }
    }

    /** Waits until the grant's replica holds {@code version} or a newer one. */
    private static void awaitGrant(String agencyId, UUID campaignId, String userId, long version) {
        Await.until("grant of " + campaignId + " to " + userId + " at version " + version, Duration.ofSeconds(30),
                () -> grant(agencyId, campaignId, userId).map(g -> g.version >= version).orElse(false));
    }

    private static void publish(String agencyId, UUID campaignId, String action, Map<String, Object> data) {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            ProducerRecord<String, String> record = new ProducerRecord<>(Topics.CAMPAIGN_EVENTS,
                    campaignId.toString(), EventJson.write(data));
            record.headers().add(CloudEventHeaders.ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
            record.headers().add(CloudEventHeaders.TYPE,
                    ("leadforge.campaign." + action + ".v1").getBytes(StandardCharsets.UTF_8));
            record.headers().add(CloudEventHeaders.SOURCE, "/leadforge/campaign-service".getBytes(StandardCharsets.UTF_8));
            record.headers().add(CloudEventHeaders.AGENCY_ID, agencyId.getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("Could not publish a campaign event", e);
        }
    }

    private static void awaitReplica(String agencyId, UUID id, String status, boolean deleted) {
        Await.until("campaign " + id + " replicated as " + status, Duration.ofSeconds(30), () -> {
            var requestContext = Arc.container().requestContext();
            requestContext.activate();
            try {
                Arc.container().instance(TenantContext.class).get().enter(agencyId, "test");
                return QuarkusTransaction.requiringNew().call(() -> CampaignReplica.<CampaignReplica>find("id", id)
                        .firstResultOptional()
                        .map(campaign -> campaign.status.equals(status) && campaign.deleted == deleted)
                        .orElse(false));
            } finally {
                requestContext.terminate();
            }
        });
    }

    private CampaignEvents() {
    }
}
