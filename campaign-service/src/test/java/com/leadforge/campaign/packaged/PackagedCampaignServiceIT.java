package com.leadforge.campaign.packaged;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The packaged campaign-service (the JVM application; the native executable under {@code -Pnative}) in its production
 * profile against a real PostgreSQL and Kafka: ready on its management port, a campaign created, a lead event counted
 * by the live consumer and found again by a reconciliation (the replay's own consumer, built from the connector's
 * Kafka settings, and the lead-event view Jackson reads outside REST), and bad requests answered as problem+json.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(value = PackagedServiceInfrastructure.class, initArgs = {
        @ResourceArg(name = "database", value = "campaigns"),
        @ResourceArg(name = "topics", value = Topics.CAMPAIGN_EVENTS + "," + Topics.LEAD_EVENTS) },
        restrictToAnnotatedClass = true)
class PackagedCampaignServiceIT {

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
    void aLeadEventIsCountedLiveAndFoundAgainByAReconciliation() throws Exception {
        String agency = UUID.randomUUID().toString();
        String admin = TestTokens.user("admin-packaged").agency(agency).roles("agency_admin").sign();
        String campaign = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\":\"Packaged\",\"status\":\"active\"}")
                .when().post("/api/v1/campaigns")
                .then().statusCode(201).extract().path("id");

        UUID lead = UUID.randomUUID();
        LeadSnapshot snapshot = new LeadSnapshot(lead, agency, UUID.fromString(campaign), "new", "pending", false,
                false, false, 1, Instant.now());
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.LEAD_EVENTS, lead.toString(),
                EventJson.write(Map.of("lead", snapshot, "lead_id", lead)));
        Map.of(CloudEventHeaders.SPEC_VERSION, "1.0", CloudEventHeaders.ID, UUID.randomUUID().toString(),
                CloudEventHeaders.TYPE, "leadforge.lead.created.v1", CloudEventHeaders.SOURCE, "/leadforge/it",
                CloudEventHeaders.AGENCY_ID, agency, CloudEventHeaders.SUBJECT, lead.toString())
                .forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, PackagedServiceInfrastructure.kafkaBootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            producer.send(record).get();
        }
        Await.until("the lead counted", Duration.ofSeconds(60), () -> Integer.valueOf(1).equals(given()
                .auth().oauth2(admin).get("/api/v1/campaigns/" + campaign).then().statusCode(200)
                .extract().<Integer>path("leads_count")));

        String location = given().auth().oauth2(admin).when().post("/api/v1/campaigns/reconcile")
                .then().statusCode(202).extract().header("Location");
        Await.until("the reconciliation to finish", Duration.ofSeconds(90), () -> !"running".equals(given()
                .auth().oauth2(admin).get(location).then().statusCode(200).extract().path("status")));
        JsonPath run = given().auth().oauth2(admin).get(location).then().statusCode(200).extract().jsonPath();
        assertEquals("succeeded", run.getString("status"), run.prettify());
        assertEquals(1, run.getInt("result.leads_replayed"), run.prettify());
        assertEquals(0, run.getInt("result.leads_corrected"), run.prettify());
    }

    @Test
    void withoutATokenTheAnswerIsAnUnauthorizedProblem() {
        given().when().get("/api/v1/campaigns")
                .then().statusCode(401).contentType(PROBLEM_JSON)
                .body("type", equalTo(PROBLEMS + "unauthorized"));
    }

    @Test
    void aCampaignWithoutANameIsAValidationProblem() {
        given().auth().oauth2(TestTokens.token(TestTokens.AGENCY_ACME, "agency_admin")).contentType(ContentType.JSON)
                .body("{\"description\":\"no name\"}")
                .when().post("/api/v1/campaigns")
                .then().statusCode(400).contentType(PROBLEM_JSON)
                .body("type", equalTo(PROBLEMS + "validation"));
    }
}
