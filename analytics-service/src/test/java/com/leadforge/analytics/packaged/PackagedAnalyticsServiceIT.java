package com.leadforge.analytics.packaged;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import com.leadforge.shared.events.CloudEventHeaders;
import com.leadforge.shared.events.EventJson;
import com.leadforge.shared.events.LeadSnapshot;
import com.leadforge.shared.events.Topics;
import com.leadforge.testsupport.Await;
import com.leadforge.testsupport.PackagedServiceInfrastructure;
import com.leadforge.testsupport.TestTokens;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The packaged analytics-service (the JVM application; the native executable under {@code -Pnative}) in its
 * production profile against a real PostgreSQL and Kafka: ready on its management port, a lead event consumed into
 * the agency's overview, and bad requests answered as problem+json.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(value = PackagedServiceInfrastructure.class, initArgs = {
        @ResourceArg(name = "database", value = "analytics"),
        @ResourceArg(name = "topics", value = Topics.LEAD_EVENTS + "," + Topics.CAMPAIGN_EVENTS + ","
                + Topics.SCRAPING_EVENTS) },
        restrictToAnnotatedClass = true)
class PackagedAnalyticsServiceIT {

    static final String PROBLEM_JSON = "application/problem+json";
    static final String PROBLEMS = "https://leadforge.io/problems/";

    @Test
    void isReadyOnItsManagementPortOnly() {
        given().baseUri(PackagedServiceInfrastructure.managementUrl())
                .when().get("/q/health/ready")
                .then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/ready")
                .then().statusCode(404).contentType(PROBLEM_JSON);
    }

    @Test
    void aLeadEventReachesTheAgencysOverview() throws Exception {
        String agency = UUID.randomUUID().toString();
        String token = TestTokens.user("analyst-packaged").agency(agency).roles("researcher").sign();
        UUID lead = UUID.randomUUID();
        LeadSnapshot snapshot = new LeadSnapshot(lead, agency, null, "new", "pending", false, false, false, 1,
                Instant.now());
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.LEAD_EVENTS, lead.toString(),
                EventJson.write(Map.of("lead", snapshot, "lead_id", lead, "created_at", Instant.now())));
        Map.of(CloudEventHeaders.ID, UUID.randomUUID().toString(), CloudEventHeaders.TYPE,
                "leadforge.lead.created.v1", CloudEventHeaders.SOURCE, "/leadforge/it", CloudEventHeaders.AGENCY_ID,
                agency).forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, PackagedServiceInfrastructure.kafkaBootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            producer.send(record).get();
        }
        Await.until("the lead in the overview", Duration.ofSeconds(60), () -> Integer.valueOf(1).equals(given()
                .auth().oauth2(token).get("/api/v1/analytics/overview").then().statusCode(200)
                .extract().<Integer>path("overview.leads.total")));
    }

    @Test
    void withoutATokenTheAnswerIsAnUnauthorizedProblem() {
        given().when().get("/api/v1/analytics/overview")
                .then().statusCode(401).contentType(PROBLEM_JSON)
                .body("type", equalTo(PROBLEMS + "unauthorized"));
    }

    @Test
    void anUnknownRangeIsAValidationProblem() {
        given().auth().oauth2(TestTokens.token(TestTokens.AGENCY_ACME, "researcher"))
                .when().get("/api/v1/analytics/overview?range=2w")
                .then().statusCode(400).contentType(PROBLEM_JSON)
                .body("type", equalTo(PROBLEMS + "validation"));
    }
}
