package com.leadforge.scraping.job;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import com.leadforge.shared.events.BatchImportedEvent;
import com.leadforge.shared.events.CampaignCreatedEvent;
import com.leadforge.shared.events.CloudEventHeaders;
import com.leadforge.shared.events.EventJson;
import com.leadforge.shared.events.EventType;
import com.leadforge.shared.events.ScrapedRecord;
import com.leadforge.shared.events.ScrapedRecordsEvent;
import com.leadforge.shared.events.Topics;
import com.leadforge.testsupport.Await;
import com.leadforge.testsupport.TestTokens;
import com.leadforge.testsupport.TopicProbe;

import io.restassured.http.ContentType;

/**
 * What job tests share: the API calls, a campaign announced the way campaign-service does, and lead-service's side of
 * the import contract (read a job's record batches from the topic, answer each with a result event).
 */
final class JobFixtures implements AutoCloseable {

    final String bootstrapServers;
    final KafkaProducer<String, String> producer;
    final TopicProbe scrapingEvents;
    /** Batches already answered, by event id: a test answers each batch once unless it means to redeliver. */
    final Set<String> answered = new HashSet<>();
    /** Every answer published, to redeliver them as-is (same ce_id). */
    final List<ProducerRecord<String, String>> answers = new ArrayList<>();

    JobFixtures(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
        this.scrapingEvents = new TopicProbe(bootstrapServers, Topics.SCRAPING_EVENTS);
    }

    static String token(String agency) {
        return TestTokens.token(agency, "researcher");
    }

    String csvSource(String agency) {
        return given().auth().oauth2(token(agency)).contentType(ContentType.JSON)
                .body("{\"name\":\"Upload " + UUID.randomUUID() + "\",\"type\":\"csv\"}")
                .post("/api/v1/data-sources").then().statusCode(201).extract().path("id");
    }

    String job(String agency, String dataSourceId, String campaignId) {
        String body = campaignId == null ? "{\"data_source_id\":\"" + dataSourceId + "\"}"
                : "{\"data_source_id\":\"" + dataSourceId + "\",\"campaign_id\":\"" + campaignId + "\"}";
        return given().auth().oauth2(token(agency)).contentType(ContentType.JSON).body(body)
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
    }

    void upload(String agency, String jobId, String csv) {
        given().auth().oauth2(token(agency)).contentType("text/csv").body(csv.getBytes(StandardCharsets.UTF_8))
                .put("/api/v1/jobs/" + jobId + "/file").then().statusCode(200);
    }

    io.restassured.response.ValidatableResponse act(String agency, String jobId, String action) {
        return given().auth().oauth2(token(agency)).post("/api/v1/jobs/" + jobId + "/" + action).then();
    }

    io.restassured.path.json.JsonPath view(String agency, String jobId) {
        return given().auth().oauth2(token(agency)).get("/api/v1/jobs/" + jobId).then().statusCode(200)
                .extract().jsonPath();
    }

    void awaitStatus(String agency, String jobId, String status) {
        Await.until("job " + jobId + " " + status, Duration.ofSeconds(30),
                () -> status.equals(view(agency, jobId).getString("status")),
                () -> "; job is " + view(agency, jobId).prettify());
    }

    /** A campaign as campaign-service announces it (the replica learns it from this event). */
    String campaign(String agency, String status) throws Exception {
        UUID id = UUID.randomUUID();
        publish(Topics.CAMPAIGN_EVENTS, EventType.CAMPAIGN_CREATED, agency, id.toString(),
                new CampaignCreatedEvent(id, agency, "Campaign " + id, status, "tester", Instant.now()));
        return id.toString();
    }

    ProducerRecord<String, String> publish(String topic, EventType type, String agency, String key, Object data)
            throws Exception {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, EventJson.write(data));
        record.headers().add(CloudEventHeaders.ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.TYPE, type.type().getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.SOURCE, "/test".getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.AGENCY_ID, agency.getBytes(StandardCharsets.UTF_8));
        producer.send(record).get();
        return record;
    }

    /** Publishes every answer again, unchanged: a redelivery. */
    int redeliverAnswers() throws Exception {
        for (ProducerRecord<String, String> answer : answers) {
            producer.send(new ProducerRecord<>(answer.topic(), null, answer.key(), answer.value(), answer.headers()))
                    .get();
        }
        return answers.size();
    }

    /** The job's record batches published so far. */
    List<ScrapedRecordsEvent> batches(String jobId) {
        return scrapingEvents.seen(record -> isBatchOf(record, jobId)).stream()
                .map(record -> EventJson.read(record.value(), ScrapedRecordsEvent.class)).toList();
    }

    /** Waits until the job's batches hold {@code records} records in all, and returns them. */
    List<ScrapedRecordsEvent> awaitBatches(String jobId, int records) {
        List<ScrapedRecordsEvent> found = new ArrayList<>();
        Await.until(records + " records of job " + jobId, Duration.ofSeconds(30), () -> {
            found.clear();
            found.addAll(batches(jobId));
            return found.stream().mapToInt(batch -> batch.records().size()).sum() >= records;
        }, () -> "; got " + found.stream().mapToInt(batch -> batch.records().size()).sum());
        return found;
    }

    /**
     * Answers every batch of the job published so far and not answered yet, as lead-service would: the outcome of each
     * record from {@code outcome} (null = imported).
     */
    int answer(String agency, String jobId, Function<ScrapedRecord, BatchImportedEvent.RecordOutcome> outcome)
            throws Exception {
        int count = 0;
        for (ConsumerRecord<String, String> record : scrapingEvents.seen(r -> isBatchOf(r, jobId))) {
            if (!answered.add(TopicProbe.header(record, CloudEventHeaders.ID))) {
                continue;
            }
            ScrapedRecordsEvent batch = EventJson.read(record.value(), ScrapedRecordsEvent.class);
            List<BatchImportedEvent.RecordOutcome> outcomes = new ArrayList<>();
            int duplicates = 0;
            int rejected = 0;
            for (ScrapedRecord scraped : batch.records()) {
                BatchImportedEvent.RecordOutcome result = outcome.apply(scraped);
                if (result != null) {
                    outcomes.add(result);
                    if (BatchImportedEvent.DUPLICATE.equals(result.outcome())) {
                        duplicates++;
                    } else {
                        rejected++;
                    }
                }
            }
            answers.add(publish(Topics.LEAD_EVENTS, EventType.LEAD_IMPORT_BATCH_IMPORTED, agency, jobId,
                    new BatchImportedEvent(batch.jobId(), agency, batch.batchSeq(),
                            batch.records().size() - duplicates - rejected, duplicates, rejected, outcomes,
                            Instant.now())));
            count++;
        }
        return count;
    }

    static boolean isBatchOf(ConsumerRecord<String, String> record, String jobId) {
        return EventType.SCRAPING_JOB_RECORDS_SCRAPED.type().equals(TopicProbe.header(record, CloudEventHeaders.TYPE))
                && jobId.equals(record.key());
    }

    static String csv(int rows) {
        StringBuilder csv = new StringBuilder("First Name,Last Name,Email,Company,Region\n");
        for (int i = 1; i <= rows; i++) {
            csv.append("Ann").append(i).append(",Lee,ann").append(i).append("@example.com,Acme,EU\n");
        }
        return csv.toString();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        scrapingEvents.close();
    }
}
