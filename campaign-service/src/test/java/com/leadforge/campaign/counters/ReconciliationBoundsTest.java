package com.leadforge.campaign.counters;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.leadforge.shared.events.CloudEventHeaders;
import com.leadforge.shared.events.EventJson;
import com.leadforge.shared.events.LeadSnapshot;
import com.leadforge.shared.events.Topics;
import com.leadforge.testsupport.Await;
import com.leadforge.testsupport.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * A replay that would exceed its memory bound stops: the run ends failed with a {@code service-unavailable} problem
 * type naming the bound, and the counters stay as they were.
 */
@QuarkusTest
@TestProfile(ReconciliationBoundsTest.TinyReplay.class)
class ReconciliationBoundsTest {

    public static class TinyReplay implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("leadforge.reconcile.max-leads", "1");
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void aReplayAboveTheLeadBoundIsRefusedWithoutTouchingTheCounters() throws Exception {
        String agency = UUID.randomUUID().toString();
        String admin = TestTokens.user("admin-bounds").agency(agency).roles("agency_admin").sign();
        String campaign = given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"name\":\"Bounded\"}")
                .post("/api/v1/campaigns").then().statusCode(201).extract().path("id");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            for (int i = 0; i < 2; i++) {
                UUID lead = UUID.randomUUID();
                LeadSnapshot snapshot = new LeadSnapshot(lead, agency, UUID.fromString(campaign), "new", "pending",
                        false, false, false, 1, Instant.now());
                ProducerRecord<String, String> record = new ProducerRecord<>(Topics.LEAD_EVENTS, lead.toString(),
                        EventJson.write(Map.of("lead", snapshot)));
                for (var header : Map.of(CloudEventHeaders.ID, UUID.randomUUID().toString(),
                        CloudEventHeaders.TYPE, "leadforge.lead.created.v1", CloudEventHeaders.SOURCE, "/test",
                        CloudEventHeaders.AGENCY_ID, agency).entrySet()) {
                    record.headers().add(header.getKey(), header.getValue().getBytes(StandardCharsets.UTF_8));
                }
                producer.send(record).get();
            }
        }
        Await.until("both leads counted", Duration.ofSeconds(60), () -> given().auth().oauth2(admin)
                .get("/api/v1/campaigns/" + campaign).then().extract().<Integer>path("leads_count") == 2);

        var run = CampaignCountersTest.reconcile(admin);
        assertEquals("failed", run.getString("status"), run.prettify());
        assertEquals("https://leadforge.io/problems/service-unavailable", run.getString("error.type"));
        assertTrue(run.getString("error.detail").contains("leadforge.reconcile.max-leads"), run.prettify());
        assertNull(run.get("result"));
        given().auth().oauth2(admin).get("/api/v1/campaigns/" + campaign)
                .then().statusCode(200).body("leads_count", equalTo(2));
    }
}
